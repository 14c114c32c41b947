# expect: data_mismatch
# allow:
# forbid: *
# evidence: planted (re-scanned test forms): after 9 epochs train_acc 0.997, val_acc 0.980 (val_loss 0.073) but test_acc 0.721 (test_loss 0.810); test_acc stays 0.54-0.72 in every epoch while val_acc is 0.91-0.98. Control (test drawn from the train/val pool): test_acc 0.989, test_loss 0.039 with identical training
# control: --control
# native-log: metrics.yaml
# log-expect: data_mismatch
# log-allow:
"""Digits CNN whose test split was collected differently from train/val (a second scanner).

Train and validation come from the same pool; the test forms were re-scanned: fainter strokes
(x0.7), sensor noise and a one-pixel offset to the right.  The model is fine on data like
its training data and much worse on the test data.  Metrics of all three splits are logged every
epoch to a YAML list of epoch dicts.  --control draws the test split from the same pool as
train/val (same images, no re-scan); training is identical.
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
import yaml
from sklearn.datasets import load_digits

torch.set_num_threads(1)
SEED = 12
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="yaml_mismatch_")
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_digits(return_X_y=True)
X = X.reshape(-1, 1, 8, 8).astype(np.float32)
perm = np.random.RandomState(0).permutation(len(X))
tr, va, te = perm[:1100], perm[1100:1450], perm[1450:]
Xte = X[te].copy()
if not CONTROL:                               # the re-scanned test forms
    rs = np.random.RandomState(1)
    Xte = 0.7 * Xte
    Xte = np.roll(Xte, 1, axis=3)
    Xte[:, :, :, 0] = 0
    Xte = np.clip(Xte + rs.normal(0, 1.0, Xte.shape), 0, 16).astype(np.float32)


def prep(a):
    return torch.tensor((a / 16.0 - 0.3) / 0.4, dtype=torch.float32)


Xtr, ytr = prep(X[tr]), torch.tensor(y[tr])
Xva, yva = prep(X[va]), torch.tensor(y[va])
Xte, yte = prep(Xte), torch.tensor(y[te])

model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                      nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * 16, 64), nn.ReLU(), nn.Linear(64, 10))
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
EPOCHS, BS = 9, 32
hist = []


def evaluate(Xs, ys):
    with torch.no_grad():
        out = model(Xs)
        return F.cross_entropy(out, ys).item(), (out.argmax(1) == ys).float().mean().item()


for epoch in range(1, EPOCHS + 1):
    model.train()
    p = torch.randperm(len(Xtr))
    tot = 0.0
    for i in range(0, len(Xtr), BS):
        b = p[i:i + BS]
        loss = F.cross_entropy(model(Xtr[b]), ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(b)
    model.eval()
    trl, tra = evaluate(Xtr, ytr)
    vl, vacc = evaluate(Xva, yva)
    tl, tacc = evaluate(Xte, yte)
    hist.append({"epoch": epoch, "train_loss": round(tot / len(Xtr), 5), "train_acc": round(tra, 4),
                 "val_loss": round(vl, 5), "val_acc": round(vacc, 4), "test_loss": round(tl, 5), "test_acc": round(tacc, 4)})
    print(f"epoch {epoch:2d} train {tot / len(Xtr):.4f}/{tra:.4f} val {vl:.4f}/{vacc:.4f} test {tl:.4f}/{tacc:.4f}")
with open(os.path.join(LOG_DIR, "metrics.yaml"), "w") as f:
    yaml.safe_dump(hist, f, sort_keys=False)
print("CORPUS_METRIC " + json.dumps({"val_acc": round(vacc, 4), "val_loss": round(vl, 4), "test_acc": round(tacc, 4),
                                      "test_loss": round(tl, 4), "train_acc": round(tra, 4), "chance_acc": 0.1}))
