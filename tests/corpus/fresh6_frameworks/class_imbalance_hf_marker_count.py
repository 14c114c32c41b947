# expect: class_imbalance
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (4% positives): val_acc 0.9625 = majority rate 0.9625, positive recall 0.00, balanced acc 0.50; control (50/50 data): balanced acc 0.768, positive recall 0.82
# control: --control
# native-log: hf_out/trainer_state.json
# log-expect:
# log-allow: class_imbalance, non_convergence, high_bias
"""HF Trainer, tiny BertForSequenceClassification (config only). Task: sequences whose tokens lean
towards marker A (label 1) or marker B (label 0); the classes overlap. The training set was
collected as it came: only 4% positives. The model reaches the majority-class accuracy and
misses most positives. The held-out split comes from the same collection (same 4%).
--control: the data are collected 50/50 (train and held-out), nothing else changes."""
import os
import sys
import json
import tempfile
import warnings

import numpy as np
import torch
from torch.utils.data import Dataset

from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments, set_seed
from transformers.utils import logging as hf_logging

warnings.filterwarnings("ignore")
hf_logging.set_verbosity_error()
torch.set_num_threads(1)
set_seed(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="hfimb_")
POS_FRAC = 0.5 if "--control" in sys.argv else 0.04
VOCAB, L, A, B = 40, 16, 5, 6


class Markers(Dataset):
    def __init__(self, n, pos_frac, seed):
        rng = np.random.default_rng(seed)
        ids = rng.integers(7, VOCAB, size=(n, L))
        y = (rng.random(n) < pos_frac).astype(np.int64)
        # each position is A or B at random; positives lean towards A, negatives towards B
        # (the classes overlap: the rule is statistical, as in real text)
        pa = np.where(y == 1, 0.18, 0.08)[:, None]
        pb = np.where(y == 1, 0.08, 0.18)[:, None]
        u = rng.random((n, L))
        ids = np.where(u < pa, A, np.where(u < pa + pb, B, ids))
        ids[:, 0] = 2
        self.ids, self.y = torch.tensor(ids), torch.tensor(y)

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(L, dtype=torch.long), "labels": self.y[i]}


def metrics(p):
    pred, lab = p.predictions.argmax(-1), p.label_ids
    rec1 = float((pred[lab == 1] == 1).mean()) if (lab == 1).any() else float("nan")
    rec0 = float((pred[lab == 0] == 0).mean())
    return {"accuracy": float((pred == lab).mean()), "recall_pos": rec1, "balanced_acc": (rec0 + rec1) / 2}


def main():
    cfg = BertConfig(vocab_size=VOCAB, hidden_size=48, num_hidden_layers=2, num_attention_heads=4,
                     intermediate_size=96, max_position_embeddings=32, num_labels=2)
    model = BertForSequenceClassification(cfg)
    train_ds = Markers(2400, POS_FRAC, 10)
    val_ds = Markers(800, POS_FRAC, 11)
    args = TrainingArguments(
        output_dir=os.path.join(LOG_DIR, "hf_out"),
        num_train_epochs=2, per_device_train_batch_size=32, per_device_eval_batch_size=300,
        learning_rate=2e-3, warmup_steps=20, lr_scheduler_type="linear", weight_decay=0.01,
        eval_strategy="epoch", logging_steps=10, save_strategy="no",
        report_to="none", disable_tqdm=True, seed=1, use_cpu=True,
    )
    trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=val_ds, compute_metrics=metrics)
    trainer.train()
    trainer.save_state()
    ev = trainer.evaluate()
    last_train_loss = [h["loss"] for h in trainer.state.log_history if "loss" in h][-1]
    print(f"train label distribution: positives {int(train_ds.y.sum())}/{len(train_ds)}")
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(ev["eval_loss"], 4), "val_acc": round(ev["eval_accuracy"], 4),
        "val_recall_pos": round(ev["eval_recall_pos"], 4), "val_balanced_acc": round(ev["eval_balanced_acc"], 4),
        "val_majority_rate": round(float(max(val_ds.y.float().mean(), 1 - val_ds.y.float().mean())), 4), "train_loss": round(last_train_loss, 4),
        "train_pos_frac": POS_FRAC}))


if __name__ == "__main__":
    main()
