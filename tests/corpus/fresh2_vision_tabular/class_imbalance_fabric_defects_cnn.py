# expect: class_imbalance
# allow: high_bias, non_convergence, high_variance, data_mismatch
# forbid: *
# evidence: 1962 ok / 38 defect in train; balanced val. planted (uniform batches) balanced_acc 0.713, defect recall 0.427 (0.00 for the first 2 epochs); control (WeightedRandomSampler) balanced_acc 0.858, defect recall 0.720
# control: --control
"""Visual inspection: 18x18 crops of striped 'fabric' (random stripe angle, frequency and
noise); a defect is a small faint dark spot. The production log has 2% defects and the
training loop draws batches uniformly, so the net settles on 'no defect'. The val set is
balanced (a curated review set) and we report balanced accuracy / defect recall.
--control: the same data drawn through a WeightedRandomSampler with inverse-frequency weights."""
import json
import math
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset, WeightedRandomSampler

torch.set_num_threads(1)
torch.manual_seed(7)
rng = np.random.default_rng(7)
CONTROL = "--control" in sys.argv
S = 18


def fabric(labels, rng):
    n = len(labels)
    yy, xx = np.mgrid[0:S, 0:S].astype(np.float32)
    th = rng.uniform(0, math.pi, n)[:, None, None]
    f = rng.uniform(0.8, 1.4, n)[:, None, None]
    ph = rng.uniform(0, 2 * math.pi, n)[:, None, None]
    img = 0.5 + 0.25 * np.sin(f * (np.cos(th) * xx + np.sin(th) * yy) + ph)
    img = img + rng.normal(0, 0.12, img.shape)
    for i in np.flatnonzero(labels):
        cx, cy = rng.uniform(3, S - 3, 2)
        r = rng.uniform(1.2, 2.0)
        img[i] -= 0.32 * np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * r * r))
    return torch.tensor(img[:, None], dtype=torch.float32)


ytr = (rng.random(2000) < 0.02).astype(np.int64)
Xtr, Ytr = fabric(ytr, rng), torch.from_numpy(ytr)
yva = np.repeat([0, 1], 300)
Xva, Yva = fabric(yva, rng), torch.from_numpy(yva)
mu, sd = Xtr.mean(), Xtr.std()
Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd
print(f"train: {int((Ytr == 0).sum())} ok / {int(Ytr.sum())} defect")

ds = TensorDataset(Xtr, Ytr)
if CONTROL:
    counts = torch.bincount(Ytr).float()
    w = (1.0 / counts)[Ytr]
    loader = DataLoader(ds, batch_size=64, sampler=WeightedRandomSampler(w, num_samples=len(ds), replacement=True))
else:
    loader = DataLoader(ds, batch_size=64, shuffle=True)

model = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
    nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
    nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Linear(32, 2))
opt = torch.optim.Adamax(model.parameters(), lr=2e-3)


def train_one_epoch():
    model.train()
    tot, n, hit = 0.0, 0, 0
    for xb, yb in loader:
        out = model(xb)
        loss = F.cross_entropy(out, yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(yb)
        n += len(yb)
        hit += (out.argmax(1) == yb).sum().item()
    return {"train_loss": tot / n, "train_acc": hit / n}


@torch.no_grad()
def evaluate():
    model.eval()
    out = model(Xva)
    pred = out.argmax(1)
    rec_def = (pred[Yva == 1] == 1).float().mean().item()
    rec_ok = (pred[Yva == 0] == 0).float().mean().item()
    return {"val_loss": F.cross_entropy(out, Yva).item(), "val_acc": (pred == Yva).float().mean().item(),
            "defect_recall": rec_def, "balanced_acc": (rec_def + rec_ok) / 2}


for ep in range(8):
    m = train_one_epoch()
    m.update(evaluate())
    print(f"epoch {ep}: " + ", ".join(f"{k}={v:.4f}" for k, v in m.items()))

print("CORPUS_METRIC " + json.dumps({k: round(v, 4) for k, v in m.items()} | {"chance_acc": 0.5}))
