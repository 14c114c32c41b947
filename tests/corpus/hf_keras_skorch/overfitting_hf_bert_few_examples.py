# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (32 train examples) val_loss best 0.279 at step 75 then rises to 0.642 at step 300, val_acc 0.91, train_loss 0.00075; control (1000 examples, same 300 steps) val_loss 0.0008, val_acc 1.00
# control: --control
# native-log: trainer_state.json
# log-expect: overfitting
# log-allow: high_variance
"""A "quick experiment": only 32 labelled sequences, a tiny BERT trained for 300 steps
(75 epochs) with no weight decay and no early stopping. --control gives it 1000
labelled sequences for the same 300 steps."""
import argparse
import json
import os
import tempfile

import numpy as np
import torch
from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments


def build(n, rng):
    ids = rng.integers(5, 64, size=(n, 16))
    lab = rng.integers(0, 2, size=n)
    ids[np.arange(n), rng.integers(1, 16, size=n)] = np.where(lab == 1, 3, 4)
    ids[:, 0] = 1
    return ids, lab


class SeqCls(torch.utils.data.Dataset):
    def __init__(self, ids, lab):
        self.ids, self.lab = ids, lab

    def __len__(self):
        return len(self.lab)

    def __getitem__(self, i):
        return {"input_ids": torch.as_tensor(self.ids[i]),
                "attention_mask": torch.ones(16, dtype=torch.long),
                "labels": torch.as_tensor(self.lab[i])}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    ap.add_argument("--n-train", type=int, default=None)
    a = ap.parse_args()
    torch.set_num_threads(1)
    n_train = a.n_train or (1000 if a.control else 32)

    logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    os.makedirs(logdir, exist_ok=True)

    rng = np.random.default_rng(7)
    val = SeqCls(*build(200, rng))
    train = SeqCls(*build(n_train, rng))

    torch.manual_seed(0)
    model = BertForSequenceClassification(BertConfig(
        vocab_size=64, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=32, num_labels=2))

    targs = TrainingArguments(
        output_dir=os.path.join(logdir, "ckpt"), max_steps=300, per_device_train_batch_size=8,
        learning_rate=2e-3, weight_decay=0.0, warmup_steps=10, lr_scheduler_type="constant_with_warmup",
        logging_steps=10, eval_strategy="steps", eval_steps=25, report_to=[], save_strategy="no",
        use_cpu=True, disable_tqdm=True, seed=0)

    def compute_metrics(p):
        return {"accuracy": float((p.predictions.argmax(-1) == p.label_ids).mean())}

    trainer = Trainer(model=model, args=targs, train_dataset=train, eval_dataset=val,
                      compute_metrics=compute_metrics)
    trainer.train()
    trainer.state.save_to_json(os.path.join(logdir, "trainer_state.json"))

    evals = [h for h in trainer.state.log_history if "eval_loss" in h]
    best = min(evals, key=lambda h: h["eval_loss"])
    v = trainer.evaluate()
    t = trainer.evaluate(train, metric_key_prefix="train")
    print("CORPUS_METRIC " + json.dumps({
        "n_train": n_train, "val_loss": round(v["eval_loss"], 4), "val_acc": round(v["eval_accuracy"], 4),
        "best_val_loss": round(best["eval_loss"], 4), "best_val_loss_step": best["step"],
        "train_loss": round(t["train_loss"], 5), "train_acc": t["train_accuracy"], "chance_acc": 0.5}))


if __name__ == "__main__":
    main()
