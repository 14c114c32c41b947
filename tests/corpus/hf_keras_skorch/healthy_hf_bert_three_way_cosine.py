# expect:
# allow:
# forbid: *
# evidence: val_acc 1.000 (chance 0.33), eval_loss 1.095 (step 30) -> 0.0156, train_loss 0.0153
# native-log: trainer_state.json
# log-expect:
# log-allow:
"""Three-way "intent" classification with a tiny BERT from a config: each sequence contains
two copies of one of three intent tokens among random filler tokens, padded to a variable
length (attention_mask marks the padding). Trainer with cosine schedule, weight decay,
evaluation every 30 steps."""
import argparse
import json
import os
import tempfile

import numpy as np
import torch
from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments

INTENTS = (3, 4, 5)
PAD, CLS, MAXLEN = 0, 1, 20


def make_split(n, seed):
    g = np.random.default_rng(seed)
    rows = []
    for _ in range(n):
        length = int(g.integers(10, MAXLEN + 1))
        label = int(g.integers(0, 3))
        toks = g.integers(8, 80, size=length)
        toks[0] = CLS
        toks[g.choice(np.arange(1, length), size=2, replace=False)] = INTENTS[label]
        ids = np.full(MAXLEN, PAD)
        ids[:length] = toks
        mask = (np.arange(MAXLEN) < length).astype(np.int64)
        rows.append({"input_ids": torch.tensor(ids), "attention_mask": torch.tensor(mask),
                     "labels": torch.tensor(label)})
    return rows


class Rows(torch.utils.data.Dataset):
    def __init__(self, rows):
        self.rows = rows

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        return self.rows[i]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=float, default=6)
    p.add_argument("--lr", type=float, default=3e-3)
    a = p.parse_args()
    torch.set_num_threads(1)
    logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="intent_")
    os.makedirs(logdir, exist_ok=True)

    train, dev = Rows(make_split(900, 5)), Rows(make_split(240, 6))
    torch.manual_seed(5)
    model = BertForSequenceClassification(BertConfig(
        vocab_size=80, hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
        max_position_embeddings=MAXLEN, num_labels=3, pad_token_id=PAD))
    targs = TrainingArguments(
        output_dir=os.path.join(logdir, "intent_model"), num_train_epochs=a.epochs,
        per_device_train_batch_size=32, per_device_eval_batch_size=120, learning_rate=a.lr,
        weight_decay=0.01, warmup_steps=15, lr_scheduler_type="cosine", logging_steps=5,
        eval_strategy="steps", eval_steps=30, report_to=[], save_strategy="no", use_cpu=True,
        disable_tqdm=True, seed=5)
    trainer = Trainer(model=model, args=targs, train_dataset=train, eval_dataset=dev,
                      compute_metrics=lambda ep: {"accuracy": float((ep.predictions.argmax(-1) == ep.label_ids).mean())})
    trainer.train()
    trainer.state.save_to_json(os.path.join(logdir, "trainer_state.json"))
    d = trainer.evaluate()
    t = trainer.evaluate(train, metric_key_prefix="train")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(d["eval_loss"], 4), "val_acc": round(d["eval_accuracy"], 4),
                                         "train_loss": round(t["train_loss"], 4), "train_acc": round(t["train_accuracy"], 4),
                                         "chance_acc": 0.3333}))


if __name__ == "__main__":
    main()
