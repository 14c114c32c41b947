# expect:
# allow:
# forbid: *
# evidence: one-cycle (lr_max 1e-2) tabular MLP, 20 epochs: valid accuracy 0.943 after epoch 0, then 0.971-1.000 every epoch (final 0.971 = 34/35; majority rate 0.43); valid_loss 0.890 -> 0.017 (epoch 5), wobbles up to 0.117 at epoch 12 on the 35-row valid set (one borderline row) and comes back to 0.031 at the end while smoothed train_loss falls 0.973 -> 0.048
# native-log: fit_one_cycle.txt
# log-expect:
# log-allow:
"""fastai-style tabular learner on the wine data, hand-rolled in PyTorch; fastai's console table saved.

Replicates `learn.fit_one_cycle(20, lr_max=1e-2)` for a tabular_learner ([200, 100] layers with
BatchNorm + ReLU, Adam betas (0.9, 0.99), true weight decay 0.01, one-cycle cosine lr with momentum
cycling) and prints fastai's table:
  epoch     train_loss  valid_loss  accuracy  error_rate  time
  0         1.143214    1.047823    0.583333  0.416667    00:00
train_loss is fastai's smoothed (beta 0.98) loss at the end of the epoch.  Small data (143 train /
35 valid rows), so the validation numbers move in steps of 1/35.
"""
import json
import math
import os
import random
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_wine

torch.set_num_threads(1)
SEED = 11
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="fastai_healthy_")
os.makedirs(LOG_DIR, exist_ok=True)
OUT = open(os.path.join(LOG_DIR, "fit_one_cycle.txt"), "w")

X, y = load_wine(return_X_y=True)
perm = np.random.RandomState(SEED).permutation(len(X))
n_val = int(0.2 * len(X))
va_idx, tr_idx = perm[:n_val], perm[n_val:]
mu, sd = X[tr_idx].mean(0), X[tr_idx].std(0)            # Normalize proc, stats from train
X = (X - mu) / sd
Xtr, ytr = torch.tensor(X[tr_idx], dtype=torch.float32), torch.tensor(y[tr_idx])
Xva, yva = torch.tensor(X[va_idx], dtype=torch.float32), torch.tensor(y[va_idx])

model = nn.Sequential(nn.BatchNorm1d(13), nn.Linear(13, 200, bias=False), nn.ReLU(), nn.BatchNorm1d(200),
                      nn.Linear(200, 100, bias=False), nn.ReLU(), nn.BatchNorm1d(100), nn.Linear(100, 3))
EPOCHS, BS, LR_MAX, WD = 20, 32, 1e-2, 0.01
opt = torch.optim.AdamW(model.parameters(), lr=LR_MAX / 25, betas=(0.95, 0.99), weight_decay=WD)
steps_per_epoch = math.ceil(len(Xtr) / BS)
total = EPOCHS * steps_per_epoch


def one_cycle(pct):
    def cos(a, b, p):
        return b + (a - b) / 2 * (1 + math.cos(math.pi * p))
    if pct < 0.25:
        p = pct / 0.25
        return cos(LR_MAX / 25, LR_MAX, p), cos(0.95, 0.85, p)
    p = (pct - 0.25) / 0.75
    return cos(LR_MAX, LR_MAX / 25 / 1e5, p), cos(0.85, 0.95, p)


names = ["epoch", "train_loss", "valid_loss", "accuracy", "error_rate", "time"]
widths = [max(len(n), 8) + 2 for n in names]


def row(vals):
    return "".join(v + " " * (w - len(v)) for v, w in zip(vals, widths)).rstrip()


hdr = row(names)
print(hdr)
OUT.write(hdr + "\n")
step, smooth, count = 0, 0.0, 0
for epoch in range(EPOCHS):
    t0 = time.time()
    model.train()
    p = torch.randperm(len(Xtr))
    for i in range(steps_per_epoch):
        b = p[i * BS:(i + 1) * BS]
        if len(b) < 2:
            continue
        lr, mom = one_cycle(step / total)
        for g in opt.param_groups:
            g["lr"], g["betas"] = lr, (mom, 0.99)
        loss = F.cross_entropy(model(Xtr[b]), ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        count += 1
        smooth = 0.98 * smooth + 0.02 * loss.item()
    train_loss = smooth / (1 - 0.98 ** count)
    model.eval()
    with torch.no_grad():
        out = model(Xva)
        vl = F.cross_entropy(out, yva).item()
        acc = (out.argmax(1) == yva).float().mean().item()
    el = int(time.time() - t0)
    line = row([str(epoch), f"{train_loss:.6f}", f"{vl:.6f}", f"{acc:.6f}", f"{1 - acc:.6f}", f"{el // 60:02d}:{el % 60:02d}"])
    print(line)
    OUT.write(line + "\n")
OUT.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "train_loss": round(train_loss, 4),
                                      "chance_acc": round(float(np.bincount(y[va_idx]).max() / n_val), 4)}))
