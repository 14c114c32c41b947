# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (64 messages, 200 steps): train loss 0.0009, eval_loss rises 1.04 -> 2.31 (best 0.69 at step 20), val_acc 0.67; control (3000 messages, same 200 steps): val_loss 0.449 (best, last), val_acc 0.818
# control: --control
# native-log: trainer_state.json
# log-expect: overfitting
# log-allow: high_variance
"""Tiny BERT spam filter trained with the HF Trainer for a fixed 200 optimizer steps. Only 64
labelled messages were collected (with the usual ~10% labelling noise), so 200 steps is ~100
epochs: the model memorises them and the held-out loss climbs. --control trains the same
number of steps on 3000 messages from the same source."""
import argparse
import json
import os
import tempfile

import numpy as np
import torch

torch.set_num_threads(1)
from transformers import (BertConfig, BertForSequenceClassification, Trainer,  # noqa: E402
                          TrainingArguments, set_seed)

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true", help="3000 training messages instead of 64")
cli = parser.parse_args()
N_TRAIN = 3000 if cli.control else 64

set_seed(13)
OUT = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="hf_spam_")
os.makedirs(OUT, exist_ok=True)

SEQ, VOCAB = 14, 80
SPAMMY = np.arange(2, 14)    # "free", "winner", "click", ...
HAMMY = np.arange(14, 26)    # "meeting", "tomorrow", "thanks", ...
COMMON = np.arange(26, VOCAB)
rng = np.random.default_rng(13)


def messages(n, noise=0.1):
    rows = []
    for _ in range(n):
        spam = int(rng.random() < 0.5)
        a, b = (SPAMMY, HAMMY) if spam else (HAMMY, SPAMMY)
        k_main, k_other = int(rng.integers(1, 4)), int(rng.integers(0, 2))
        toks = np.concatenate([rng.choice(a, k_main), rng.choice(b, k_other),
                               rng.choice(COMMON, SEQ - 1 - k_main - k_other)])
        rng.shuffle(toks)
        label = 1 - spam if rng.random() < noise else spam
        rows.append({"input_ids": torch.tensor([1] + toks.tolist()), "labels": label})
    return rows


val_rows = messages(400)
train_rows = messages(N_TRAIN)

config = BertConfig(vocab_size=VOCAB, hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                    intermediate_size=128, max_position_embeddings=SEQ, num_labels=2)
model = BertForSequenceClassification(config)


def compute_metrics(pred):
    logits, labels = pred
    return {"accuracy": float((logits.argmax(-1) == labels).mean())}


args = TrainingArguments(
    output_dir=OUT,
    max_steps=200,
    per_device_train_batch_size=32,
    per_device_eval_batch_size=200,
    learning_rate=1e-3,
    lr_scheduler_type="constant",
    eval_strategy="steps",
    eval_steps=20,
    logging_steps=10,
    save_strategy="no",
    report_to=[],
    use_cpu=True,
    disable_tqdm=True,
    seed=13,
)
trainer = Trainer(model=model, args=args, train_dataset=train_rows, eval_dataset=val_rows,
                  compute_metrics=compute_metrics)
trainer.train()
trainer.save_state()
m = trainer.evaluate()
hist = trainer.state.log_history
last_train_loss = [h["loss"] for h in hist if "loss" in h][-1]
best_val = min(h["eval_loss"] for h in hist if "eval_loss" in h)
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(m["eval_loss"], 4), "best_val_loss": round(best_val, 4),
    "val_acc": round(m["eval_accuracy"], 4), "train_loss": round(last_train_loss, 4),
    "chance_acc": 0.5, "n_train": N_TRAIN}))
