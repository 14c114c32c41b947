# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, non_finite, dead_units, saturated_activations, high_bias
# forbid: *
# evidence: control (AdamW lr=1e-3) reaches eval_accuracy 1.00 / eval_loss 0.037; planted (lr=5e-2) sits at eval_accuracy 0.513, eval_loss 0.693 = ln2 (chance 0.50) for all 5 epochs (lr=1e-2 and 2e-2 still reach 0.99, so 5e-2 is past the edge)
# control: --control
# native-log: trainer_state.json
# log-expect: non_convergence
# log-allow: learning_rate_too_high, high_bias, exploding_gradients, non_finite
"""ELECTRA-style discriminator trained from scratch with the HF Trainer on a toy "polarity" task.

Tokens 10-19 are "positive words", 20-29 "negative words", the rest neutral; the label is whether
positive words outnumber negative ones. Someone copied lr=0.05 from an SGD recipe into AdamW.
--control uses lr=1e-3 (everything else identical).
"""
import argparse
import json
import os
import tempfile

import numpy as np
import torch

torch.set_num_threads(1)
torch.manual_seed(0)

from transformers import (ElectraConfig, ElectraForSequenceClassification, Trainer,
                          TrainingArguments, set_seed)

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true")
cli = parser.parse_args()
LR = 1e-3 if cli.control else 5e-2

set_seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="hf_electra_")
os.makedirs(LOG_DIR, exist_ok=True)

VOCAB, SEQ = 64, 24


def make_split(n, rng):
    ids = rng.integers(30, VOCAB, size=(n, SEQ))
    y = rng.integers(0, 2, size=n)
    for i in range(n):
        n_major, n_minor = rng.integers(3, 7), rng.integers(0, 3)
        pos_words = rng.integers(10, 20, size=n_major if y[i] else n_minor)
        neg_words = rng.integers(20, 30, size=n_minor if y[i] else n_major)
        words = np.concatenate([pos_words, neg_words])
        slots = rng.choice(np.arange(1, SEQ), size=len(words), replace=False)
        ids[i, slots] = words
    ids[:, 0] = 0  # [CLS]
    return ids, y


class ToyDataset(torch.utils.data.Dataset):
    def __init__(self, ids, y):
        self.ids, self.y = torch.as_tensor(ids), torch.as_tensor(y)

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "labels": self.y[i]}


rng = np.random.default_rng(1)
train_ds = ToyDataset(*make_split(1000, rng))
eval_ds = ToyDataset(*make_split(300, rng))

config = ElectraConfig(vocab_size=VOCAB, embedding_size=32, hidden_size=32, num_hidden_layers=2,
                       num_attention_heads=4, intermediate_size=64, max_position_embeddings=32,
                       num_labels=2, pad_token_id=1)
model = ElectraForSequenceClassification(config)


def compute_metrics(pred):
    logits, labels = pred
    logits = np.nan_to_num(logits)
    return {"accuracy": float((logits.argmax(-1) == labels).mean())}


args = TrainingArguments(
    output_dir=LOG_DIR,
    num_train_epochs=5,
    per_device_train_batch_size=32,
    per_device_eval_batch_size=150,
    learning_rate=LR,
    warmup_steps=10,
    lr_scheduler_type="cosine",
    weight_decay=0.01,
    max_grad_norm=1.0,
    eval_strategy="epoch",
    logging_steps=8,
    save_strategy="no",
    report_to=[],
    use_cpu=True,
    seed=0,
    disable_tqdm=True,
)
trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=eval_ds,
                  compute_metrics=compute_metrics)
trainer.train()
trainer.save_state()
ev = trainer.evaluate()
last_train = [h["loss"] for h in trainer.state.log_history if "loss" in h][-1]
metric = {"val_loss": round(float(ev["eval_loss"]), 4), "val_acc": round(ev["eval_accuracy"], 4),
          "train_loss": round(float(last_train), 4), "chance_acc": 0.5, "lr": LR}
print("CORPUS_METRIC " + json.dumps(metric))
