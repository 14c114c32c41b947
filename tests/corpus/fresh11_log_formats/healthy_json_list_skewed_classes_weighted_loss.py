# expect:
# allow:
# forbid: *
# evidence: labels 80/15/5% (train counts 2570/478/152), inverse-frequency weighted CE: val_accuracy 0.9925 (majority rate 0.7875), val_balanced_accuracy 0.984, macro-F1 0.982, per-class recall 0.997/0.975/0.979 at the end; weighted val_loss 0.110 -> 0.029 (flat at 0.029-0.031 over the last 7 epochs while train loss 0.025 -> 0.018)
# native-log: history.json
# log-expect:
# log-allow:
"""Naturally skewed 3-class problem (80% / 15% / 5%) handled properly with a class-weighted loss.

The labels are skewed, but the weighted cross-entropy makes the model find the rare classes:
balanced accuracy and macro-F1 are high and every class has high recall.  NAdam with an
exponential lr decay.  The history is a JSON list of epoch dicts (json.dump(..., indent=1)) with
loss, accuracy, val_loss, val_accuracy, val_balanced_accuracy, val_macro_f1 and lr.
"""
import json
import os
import random
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_classification

torch.set_num_threads(1)
SEED = 9
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="jsonlist_skew_")
os.makedirs(LOG_DIR, exist_ok=True)

X, y = make_classification(n_samples=4000, n_features=12, n_informative=6, n_redundant=2, n_classes=3,
                           n_clusters_per_class=1, weights=[0.80, 0.15, 0.05], class_sep=1.6, flip_y=0.0,
                           random_state=2)
X = (X - X.mean(0)) / X.std(0)
Xtr, ytr = torch.tensor(X[:3200], dtype=torch.float32), torch.tensor(y[:3200])
Xva, yva = torch.tensor(X[3200:], dtype=torch.float32), torch.tensor(y[3200:])
counts = torch.bincount(ytr, minlength=3).float()
weights = counts.sum() / (3 * counts)
print("train class counts:", counts.int().tolist(), "loss weights:", [round(w, 2) for w in weights.tolist()])

model = nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3))
opt = torch.optim.NAdam(model.parameters(), lr=2e-3)
sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.85)
EPOCHS, BS = 14, 64
history = []
for epoch in range(1, EPOCHS + 1):
    model.train()
    p = torch.randperm(len(Xtr))
    tot, corr = 0.0, 0
    for i in range(0, len(Xtr), BS):
        b = p[i:i + BS]
        out = model(Xtr[b])
        loss = F.cross_entropy(out, ytr[b], weight=weights)
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(b)
        corr += (out.argmax(1) == ytr[b]).sum().item()
    lr = opt.param_groups[0]["lr"]
    sched.step()
    model.eval()
    with torch.no_grad():
        out = model(Xva)
        vl = F.cross_entropy(out, yva, weight=weights).item()
        pred = out.argmax(1)
    va = (pred == yva).float().mean().item()
    recalls, f1s = [], []
    for c in range(3):
        tp = ((pred == c) & (yva == c)).sum().item()
        r = tp / max((yva == c).sum().item(), 1)
        pr = tp / max((pred == c).sum().item(), 1)
        recalls.append(r)
        f1s.append(2 * pr * r / (pr + r) if pr + r else 0.0)
    history.append({"epoch": epoch, "loss": tot / len(Xtr), "accuracy": corr / len(Xtr), "val_loss": vl,
                    "val_accuracy": va, "val_balanced_accuracy": float(np.mean(recalls)),
                    "val_macro_f1": float(np.mean(f1s)), "lr": lr})
    print(f"epoch {epoch:2d} loss {tot / len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f} "
          f"bal_acc {np.mean(recalls):.4f} recalls {[round(r, 3) for r in recalls]}")
with open(os.path.join(LOG_DIR, "history.json"), "w") as f:
    json.dump(history, f, indent=1)
majority = (yva == 0).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_acc": round(va, 4), "val_balanced_acc": round(float(np.mean(recalls)), 4),
                                      "val_macro_f1": round(float(np.mean(f1s)), 4), "val_loss": round(vl, 4),
                                      "majority_rate": round(majority, 4), "min_class_recall": round(min(recalls), 4)}))
