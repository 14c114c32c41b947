# expect: learning_rate_too_high
# allow: non_convergence, dead_units, exploding_gradients, high_bias
# forbid: *
# evidence: control (lr=0.05) reaches eval_top1 98.4%, eval_loss 0.053; planted (lr=0.8, SGD nesterov, 3-epoch warmup): after warmup epoch 1 top1 87.9%, then epoch 2 train_loss spikes to 52.3 and the net never recovers: final eval_top1 7.4% (chance 10%), eval_loss 2.311
# control: --control
# native-log: summary.csv
# log-expect: learning_rate_too_high
# log-allow: non_convergence, exploding_gradients, high_bias
"""timm-style run of an MLP on digits with a linear-scaling-rule lr that is far too large.

The user scaled a reference lr for batch 4096 "up" instead of down: lr 0.8 for SGD with
nesterov momentum.  Warmup (per epoch, as timm's scheduler.step(epoch)) first helps, then the
lr reaches the blow-up zone.  summary.csv has timm's columns, top1/top5 in percent.
"""
import csv
import json
import os
import random
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

torch.set_num_threads(1)
SEED = 0
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="timm_lrhigh_")
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.5) / 0.5
perm = np.random.RandomState(0).permutation(len(X))
X, y = X[perm], y[perm]
Xtr = torch.tensor(X[:1300], dtype=torch.float32)
ytr = torch.tensor(y[:1300])
Xva = torch.tensor(X[1300:], dtype=torch.float32)
yva = torch.tensor(y[1300:])

model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
BASE_LR = 0.05 if CONTROL else 0.8
EPOCHS, WARMUP, BS = 15, 3, 64
WARMUP_LR, MIN_LR = 1e-4, 1e-5
opt = torch.optim.SGD(model.parameters(), lr=WARMUP_LR, momentum=0.9, nesterov=True, weight_decay=1e-4)


def sched(epoch):
    if epoch < WARMUP:
        return WARMUP_LR + (BASE_LR - WARMUP_LR) * epoch / WARMUP
    t = (epoch - WARMUP) / (EPOCHS - WARMUP)
    return MIN_LR + 0.5 * (BASE_LR - MIN_LR) * (1 + np.cos(np.pi * t))


def evaluate():
    model.eval()
    with torch.no_grad():
        logits = model(Xva)
        loss = F.cross_entropy(logits, yva).item()
        top5 = logits.topk(5, dim=1).indices
        top1 = (top5[:, 0] == yva).float().mean().item() * 100
        top5a = (top5 == yva[:, None]).any(1).float().mean().item() * 100
    return loss, top1, top5a


path = os.path.join(LOG_DIR, "summary.csv")
fields = ["epoch", "train_loss", "eval_loss", "eval_top1", "eval_top5", "lr"]
with open(path, "w", newline="") as f:
    csv.DictWriter(f, fieldnames=fields).writeheader()

for epoch in range(EPOCHS):
    lr = float(sched(epoch))
    for g in opt.param_groups:
        g["lr"] = lr
    model.train()
    idx = torch.randperm(len(Xtr))
    tot, n = 0.0, 0
    for i in range(0, len(Xtr), BS):
        b = idx[i:i + BS]
        loss = F.cross_entropy(model(Xtr[b]), ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(b)
        n += len(b)
    eval_loss, top1, top5 = evaluate()
    with open(path, "a", newline="") as f:
        csv.DictWriter(f, fieldnames=fields).writerow(
            dict(epoch=epoch, train_loss=tot / n, eval_loss=eval_loss, eval_top1=top1, eval_top5=top5, lr=lr))
    print(f"Train: {epoch} loss {tot / n:.4f} | Test: loss {eval_loss:.4f} top1 {top1:.2f} top5 {top5:.2f} lr {lr:.3e}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(eval_loss, 4), "val_acc": round(top1 / 100, 4),
                                      "train_loss": round(tot / n, 4), "chance_acc": 0.1}))
