# expect:
# allow:
# forbid: *
# evidence: small BN-CNN on sklearn digits, AdamW + 1-epoch warmup + cosine over 12 epochs; train loss is label-smoothed (0.1) so it floors at ~0.54 while eval CE is lower; final eval_top1 98.99% (chance 10%), eval_loss 0.171 (its minimum; eval loss falls every epoch from epoch 5)
# native-log: summary.csv
# log-expect:
# log-allow:
"""timm-train.py-style run: small CNN on 8x8 digits, metrics written to timm's summary.csv.

Columns are the ones timm.utils.update_summary writes (epoch,train_loss,eval_loss,eval_top1,
eval_top5,lr) with top1/top5 in percent; train_loss is the label-smoothed training loss.
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

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="timm_healthy_")
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.5) / 0.5
perm = np.random.permutation(len(X))
X, y = X[perm], y[perm]
Xtr = torch.tensor(X[:1300], dtype=torch.float32).view(-1, 1, 8, 8)
ytr = torch.tensor(y[:1300])
Xva = torch.tensor(X[1300:], dtype=torch.float32).view(-1, 1, 8, 8)
yva = torch.tensor(y[1300:])


class SmallCNN(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(32, 48, 3, padding=1, bias=False), nn.BatchNorm2d(48), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1),
        )
        self.head = nn.Linear(48, num_classes)

    def forward(self, x):
        return self.head(self.features(x).flatten(1))


model = SmallCNN()
EPOCHS, WARMUP, BASE_LR, BS = 12, 1, 3e-3, 64
opt = torch.optim.AdamW(model.parameters(), lr=BASE_LR, weight_decay=0.05)
train_crit = nn.CrossEntropyLoss(label_smoothing=0.1)
steps_per_epoch = (len(Xtr) + BS - 1) // BS


def lr_at(epoch_float):
    # timm CosineLRScheduler with warmup_t=2 epochs, stepped per update
    if epoch_float < WARMUP:
        return 1e-5 + (BASE_LR - 1e-5) * epoch_float / WARMUP
    t = (epoch_float - WARMUP) / (EPOCHS - WARMUP)
    return 1e-5 + 0.5 * (BASE_LR - 1e-5) * (1 + np.cos(np.pi * t))


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

best = None
for epoch in range(EPOCHS):
    model.train()
    idx = torch.randperm(len(Xtr))
    tot, n = 0.0, 0
    for i in range(steps_per_epoch):
        b = idx[i * BS:(i + 1) * BS]
        for g in opt.param_groups:
            g["lr"] = lr_at(epoch + i / steps_per_epoch)
        loss = train_crit(model(Xtr[b]), ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(b)
        n += len(b)
    eval_loss, top1, top5 = evaluate()
    lr = opt.param_groups[0]["lr"]
    row = dict(epoch=epoch, train_loss=tot / n, eval_loss=eval_loss, eval_top1=top1, eval_top5=top5, lr=lr)
    with open(path, "a", newline="") as f:
        csv.DictWriter(f, fieldnames=fields).writerow(row)
    if best is None or eval_loss < best[1]:
        best = (epoch, eval_loss)
    print(f"Train: {epoch} loss {tot / n:.4f} | Test: loss {eval_loss:.4f} top1 {top1:.2f} top5 {top5:.2f} lr {lr:.2e}")

print(f"*** Best metric: eval_loss {best[1]:.4f} (epoch {best[0]})")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(eval_loss, 4), "val_acc": round(top1 / 100, 4),
                                      "train_loss": round(tot / n, 4), "chance_acc": 0.1}))
