# expect: class_imbalance
# allow:
# forbid: *
# evidence: planted (3% fraud): balanced val acc 0.500, fraud recall 0.00 (plain accuracy 0.978 only because it always says legit); control (balanced classes, same generator): balanced val acc 0.808, fraud recall 0.824
# control: --control
# native-log: trainer_state.json
# log-expect:
# log-allow: class_imbalance
"""Fraud detection on synthetic card transactions with the HF Trainer and a small custom
nn.Module. Only 3% of the transactions are fraud, so the net learns to say "legit" almost
always: accuracy looks great, fraud recall is poor. --control draws the same kind of data with
balanced classes (train and held-out alike); the score is balanced accuracy (mean per-class
recall), which does not depend on the class prior of the held-out set."""
import argparse
import json
import os
import tempfile

import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)
from transformers import Trainer, TrainingArguments, set_seed  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true", help="balanced classes instead of 3% fraud")
cli = parser.parse_args()
FRAUD_RATE = 0.5 if cli.control else 0.03

set_seed(21)
OUT = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="hf_fraud_")
os.makedirs(OUT, exist_ok=True)

N_FEAT = 10
rng = np.random.default_rng(21)
fraud_shift = np.zeros(N_FEAT)
fraud_shift[:4] = 0.9  # fraud differs a little in amount, hour, distance, merchant risk


def transactions(n):
    y = (rng.random(n) < FRAUD_RATE).astype(np.int64)
    x = rng.normal(size=(n, N_FEAT)) + y[:, None] * fraud_shift
    return [{"x": torch.tensor(x[i], dtype=torch.float32), "labels": int(y[i])} for i in range(n)]


train_rows, val_rows = transactions(3000), transactions(1500)


class FraudNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(N_FEAT, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),
                                 nn.Linear(32, 2))

    def forward(self, x, labels=None):
        logits = self.net(x)
        if labels is None:
            return {"logits": logits}
        return {"loss": nn.functional.cross_entropy(logits, labels), "logits": logits}


def compute_metrics(pred):
    logits, labels = pred
    yhat = logits.argmax(-1)
    recalls = [float((yhat[labels == c] == c).mean()) for c in (0, 1)]
    tp = float(((yhat == 1) & (labels == 1)).sum())
    prec = tp / max(float((yhat == 1).sum()), 1.0)
    f1 = 2 * prec * recalls[1] / max(prec + recalls[1], 1e-9)
    return {"accuracy": float((yhat == labels).mean()), "balanced_accuracy": sum(recalls) / 2,
            "fraud_recall": recalls[1], "fraud_f1": f1}


args = TrainingArguments(
    output_dir=OUT,
    num_train_epochs=4,
    per_device_train_batch_size=64,
    per_device_eval_batch_size=500,
    learning_rate=2e-3,
    lr_scheduler_type="linear",
    eval_strategy="epoch",
    logging_steps=10,
    save_strategy="no",
    report_to=[],
    use_cpu=True,
    disable_tqdm=True,
    seed=21,
)
trainer = Trainer(model=FraudNet(), args=args, train_dataset=train_rows, eval_dataset=val_rows,
                  compute_metrics=compute_metrics)
trainer.train()
trainer.save_state()
m = trainer.evaluate()
last_train_loss = [h["loss"] for h in trainer.state.log_history if "loss" in h][-1]
print("CORPUS_METRIC " + json.dumps({
    "val_balanced_acc": round(m["eval_balanced_accuracy"], 4),
    "val_fraud_recall": round(m["eval_fraud_recall"], 4), "val_acc": round(m["eval_accuracy"], 4),
    "val_loss": round(m["eval_loss"], 4), "train_loss": round(last_train_loss, 4),
    "chance_balanced_acc": 0.5, "fraud_rate": FRAUD_RATE}))
