# expect: non_convergence
# allow: high_bias, overfitting, high_variance
# forbid: *
# evidence: planted (images and labels shuffled with two independent np.random.shuffle calls) val_acc 0.179, val_loss 1.800, train_loss 1.781 ~ ln(6)=1.79 (chance 0.167); control (one shared permutation) val_acc 1.000, val_loss 0.011, train_loss 0.009
# control: --control
"""Texture classifier. The dataset is generated class by class, so it gets shuffled before the
train/val split."""
import json
import math
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

CONTROL = "--control" in sys.argv
torch.set_num_threads(1)
torch.manual_seed(0)
np.random.seed(0)

KINDS = ["horizontal", "vertical", "diag", "checker", "rings", "noise"]
PER_CLASS = 350


def texture(kind, rng, n=16):
    yy, xx = np.mgrid[:n, :n].astype(np.float32)
    f = rng.uniform(0.5, 1.4)
    p = rng.uniform(0, 2 * np.pi)
    if kind == "horizontal":
        t = np.sin(f * yy + p)
    elif kind == "vertical":
        t = np.sin(f * xx + p)
    elif kind == "diag":
        t = np.sin(f * (xx + yy) / 1.41 + p)
    elif kind == "checker":
        t = np.sign(np.sin(f * xx + p) * np.sin(f * yy + p))
    elif kind == "rings":
        cx, cy = rng.uniform(4, 12, 2)
        t = np.sin(f * np.hypot(xx - cx, yy - cy) + p)
    else:
        t = rng.normal(0, 0.6, (n, n))
    return (t + rng.normal(0, 0.35, (n, n))).astype(np.float32)


rng = np.random.default_rng(0)
images = np.stack([texture(k, rng) for k in KINDS for _ in range(PER_CLASS)])[:, None]
labels = np.repeat(np.arange(len(KINDS)), PER_CLASS)

# shuffle so that train/val both contain every class
if CONTROL:
    perm = np.random.permutation(len(labels))
    images, labels = images[perm], labels[perm]
else:
    np.random.shuffle(images)
    np.random.shuffle(labels)

n_train = int(0.8 * len(labels))


class TexData(Dataset):
    def __init__(self, x, y):
        self.x, self.y = torch.from_numpy(x), torch.from_numpy(y).long()

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return self.x[i], self.y[i]


train_dl = DataLoader(TexData(images[:n_train], labels[:n_train]), batch_size=64, shuffle=True)
val_dl = DataLoader(TexData(images[n_train:], labels[n_train:]), batch_size=256)

net = nn.Sequential(
    nn.Conv2d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(2),
    nn.Flatten(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, len(KINDS)))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)

for epoch in range(8):
    net.train()
    tl, n = 0.0, 0
    for xb, yb in train_dl:
        loss = F.cross_entropy(net(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        tl += loss.item() * len(yb)
        n += len(yb)
    net.eval()
    vl, vc, vn = 0.0, 0, 0
    with torch.no_grad():
        for xb, yb in val_dl:
            out = net(xb)
            vl += F.cross_entropy(out, yb, reduction="sum").item()
            vc += (out.argmax(1) == yb).sum().item()
            vn += len(yb)
    print(f"epoch {epoch}: train_loss {tl / n:.4f} val_loss {vl / vn:.4f} val_acc {vc / vn:.3f}")

print("CORPUS_METRIC " + json.dumps({"train_loss": round(tl / n, 4), "val_loss": round(vl / vn, 4),
                                     "val_acc": round(vc / vn, 4), "chance_acc": round(1 / len(KINDS), 4)}))
