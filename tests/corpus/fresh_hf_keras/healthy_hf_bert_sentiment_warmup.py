# expect:
# allow:
# forbid: *
# evidence: val_acc 0.997 (chance 0.5); eval_loss 0.69 -> 0.008 over 11 evals with warm-up + linear decay, last logged train loss 0.006
# native-log: trainer_state.json
# log-expect:
# log-allow:
"""Tiny BERT (built from a config, random init) on a toy "sentiment" task: a review is a bag of
positive, negative and filler word ids; the label says whether positive words outnumber negative
ones. Standard HF recipe: AdamW, 10% linear warm-up then linear decay, eval every 25 steps."""
import json
import os
import tempfile

import numpy as np
import torch

torch.set_num_threads(1)
from transformers import (BertConfig, BertForSequenceClassification, Trainer,  # noqa: E402
                          TrainingArguments, set_seed)

set_seed(7)
OUT = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="hf_sentiment_")
os.makedirs(OUT, exist_ok=True)

VOCAB, SEQ = 64, 16
POS = np.arange(2, 12)
NEG = np.arange(12, 22)
FILLER = np.arange(22, VOCAB)


def make_reviews(n, rng):
    rows = []
    for _ in range(n):
        n_pos, n_neg = rng.integers(0, 6, size=2)
        while n_pos == n_neg:
            n_pos, n_neg = rng.integers(0, 6, size=2)
        words = np.concatenate([rng.choice(POS, n_pos), rng.choice(NEG, n_neg),
                                rng.choice(FILLER, SEQ - 1 - n_pos - n_neg)])
        rng.shuffle(words)
        ids = np.concatenate([[1], words]).astype(np.int64)
        rows.append({"input_ids": torch.tensor(ids),
                     "attention_mask": torch.ones(SEQ, dtype=torch.long),
                     "labels": int(n_pos > n_neg)})
    return rows


rng = np.random.default_rng(7)
train_rows = make_reviews(1200, rng)
val_rows = make_reviews(300, rng)

config = BertConfig(vocab_size=VOCAB, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                    intermediate_size=64, max_position_embeddings=SEQ, num_labels=2)
model = BertForSequenceClassification(config)


def compute_metrics(pred):
    logits, labels = pred
    return {"accuracy": float((logits.argmax(-1) == labels).mean())}


args = TrainingArguments(
    output_dir=OUT,
    num_train_epochs=6,
    per_device_train_batch_size=32,
    per_device_eval_batch_size=128,
    learning_rate=1.5e-3,
    weight_decay=0.01,
    warmup_steps=0.1,  # a float < 1 is a ratio of the total steps in transformers 5
    lr_scheduler_type="linear",
    eval_strategy="steps",
    eval_steps=25,
    logging_steps=10,
    save_strategy="no",
    report_to=[],
    use_cpu=True,
    disable_tqdm=True,
    seed=7,
)
trainer = Trainer(model=model, args=args, train_dataset=train_rows, eval_dataset=val_rows,
                  compute_metrics=compute_metrics)
train_out = trainer.train()
trainer.save_state()
final = trainer.evaluate()
last_train_loss = [h["loss"] for h in trainer.state.log_history if "loss" in h][-1]
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(final["eval_loss"], 4), "val_acc": round(final["eval_accuracy"], 4),
    "train_loss": round(last_train_loss, 4), "chance_acc": 0.5}))
