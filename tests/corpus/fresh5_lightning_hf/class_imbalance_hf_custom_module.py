"""Fraud-detection style binary task with the HF Trainer driving a small nn.Module. The
planted data has 4% positives (the raw event stream), and nothing is done about it (plain
cross-entropy, no re-weighting or re-sampling): the model predicts "legit" for nearly every
row, so accuracy sits at the majority rate and recall on frauds is ~0.
trainer_state.json in $CORPUS_LOG_DIR.

--control builds the same-size data set with balanced classes (the curated 50/50 sample).
"""
# expect: class_imbalance
# allow: non_convergence, high_bias
# forbid: *
# evidence: control (balanced) val_acc 0.84, balanced_acc 0.84, fraud recall 0.88; planted (4% positives) val_acc 0.96 = majority rate, fraud recall 0.0, balanced_acc 0.50
# control: --control
# native-log: trainer_state.json
# log-expect:
# log-allow: class_imbalance, non_convergence, high_bias
import argparse
import json
import os
import tempfile
import warnings

import numpy as np
import torch
from torch import nn
from transformers import Trainer, TrainingArguments
from transformers.utils import logging as hf_logging

warnings.filterwarnings("ignore")
hf_logging.set_verbosity_error()
torch.set_num_threads(1)


def events(n, pos_rate, seed):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < pos_rate).astype(np.int64)
    x = rng.normal(size=(n, 10))
    # frauds: shifted amount / velocity features, overlapping with legit tail
    x[y == 1, 0] += 1.6
    x[y == 1, 1] -= 1.2
    x[y == 1, 2] += 0.8 * np.sign(x[y == 1, 3])
    return [{"x": torch.tensor(r, dtype=torch.float32), "labels": int(t)} for r, t in zip(x, y)]


class FraudNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2))

    def forward(self, x, labels=None):
        logits = self.mlp(x)
        if labels is None:
            return {"logits": logits}
        return {"loss": nn.functional.cross_entropy(logits, labels), "logits": logits}


def scores(p):
    pred, y = p.predictions.argmax(-1), p.label_ids
    rec1 = float((pred[y == 1] == 1).mean()) if (y == 1).any() else 0.0
    rec0 = float((pred[y == 0] == 0).mean())
    return {"accuracy": float((pred == y).mean()), "recall_pos": rec1, "balanced_acc": (rec0 + rec1) / 2}


ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
opt = ap.parse_args()
rate = 0.5 if opt.control else 0.04

torch.manual_seed(0)
train, val = events(3000, rate, 0), events(1500, rate, 1)
targs = TrainingArguments(output_dir=tempfile.mkdtemp(), num_train_epochs=4, per_device_train_batch_size=64,
                          learning_rate=3e-3, optim="adamw_torch", eval_strategy="steps", eval_steps=20,
                          logging_steps=4, save_strategy="no", report_to="none", disable_tqdm=True,
                          use_cpu=True, seed=0)
trainer = Trainer(model=FraudNet(), args=targs, train_dataset=train, eval_dataset=val, compute_metrics=scores)
trainer.train()
m = trainer.evaluate()
out = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(out, exist_ok=True)
trainer.state.save_to_json(os.path.join(out, "trainer_state.json"))
tl = trainer.predict(train[:1000]).metrics["test_loss"]
yv = np.array([r["labels"] for r in val])
print("CORPUS_METRIC " + json.dumps({"val_loss": round(m["eval_loss"], 4), "val_acc": round(m["eval_accuracy"], 4),
                                     "balanced_acc": round(m["eval_balanced_acc"], 4),
                                     "recall_pos": round(m["eval_recall_pos"], 4), "train_loss": round(tl, 4),
                                     "chance_acc": round(float(max(yv.mean(), 1 - yv.mean())), 4)}))
