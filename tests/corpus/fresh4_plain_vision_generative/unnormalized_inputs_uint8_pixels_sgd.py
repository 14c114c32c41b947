# expect: unnormalized_inputs
# allow: exploding_gradients, learning_rate_too_high, non_convergence, dead_units, non_finite, high_bias
# forbid: *
# evidence: planted (uint8 frames fed as 0..255 floats, the /255 + mean/std step forgotten) val_acc 0.233, val_loss 1.387 (epoch0 train_loss 22.4, then stuck at ln4); control (scaled to [0,1] and standardised) val_acc 0.995, val_loss 0.013 (chance 0.25)
# control: --control
"""Classify simulated 8-bit camera frames of parts on a conveyor: bolt / washer / nut / bracket.
Frames arrive as uint8 like they would from a PNG loader."""
import json
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

NORMALISE = "--control" in sys.argv
torch.set_num_threads(1)
torch.manual_seed(10)
rng = np.random.default_rng(10)
PARTS = ["bolt", "washer", "nut", "bracket"]
H = 20


def frame(kind):
    yy, xx = np.mgrid[:H, :H].astype(np.float32)
    cy, cx = rng.uniform(7, 13, 2)
    ang = rng.uniform(0, np.pi)
    u = (xx - cx) * np.cos(ang) + (yy - cy) * np.sin(ang)
    v = -(xx - cx) * np.sin(ang) + (yy - cy) * np.cos(ang)
    r = np.hypot(xx - cx, yy - cy)
    if kind == 0:
        m = ((np.abs(u) < 6) & (np.abs(v) < 1.2)) | ((np.abs(u + 6) < 1.5) & (np.abs(v) < 2.8))
    elif kind == 1:
        m = (r < 5.5) & (r > 2.5)
    elif kind == 2:
        hexa = np.maximum(np.abs(v), np.abs(v) * 0.5 + np.abs(u) * 0.866)
        m = (hexa < 5) & (r > 2)
    else:
        m = ((np.abs(u) < 6) & (np.abs(v - 3) < 1.2)) | ((np.abs(u - 5) < 1.2) & (np.abs(v) < 4))
    img = 40 + 20 * rng.random() + m * rng.uniform(120, 180) + rng.normal(0, 18, (H, H))
    return np.clip(img, 0, 255).astype(np.uint8)


def dataset(n):
    y = rng.integers(0, 4, n)
    return torch.from_numpy(np.stack([frame(k) for k in y])[:, None]), torch.from_numpy(y)


xtr_u8, ytr = dataset(1600)
xva_u8, yva = dataset(400)


def prepare(x_u8):
    x = x_u8.float()
    if NORMALISE:
        x = (x / 255.0 - 0.30) / 0.25
    return x


train_dl = DataLoader(TensorDataset(prepare(xtr_u8), ytr), batch_size=32, shuffle=True)
xva = prepare(xva_u8)

model = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveMaxPool2d(1),
    nn.Flatten(), nn.Linear(32, 4))
opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, weight_decay=5e-4)

for epoch in range(8):
    model.train()
    tot, n = 0.0, 0
    for xb, yb in train_dl:
        loss = F.cross_entropy(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(yb)
        n += len(yb)
    model.eval()
    with torch.no_grad():
        out = model(xva)
        vl = F.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    print(f"epoch {epoch}: train_loss {tot / n:.4f}  val_loss {vl:.4f}  val_acc {va:.3f}")

fin = lambda v: round(v, 4) if np.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({"train_loss": fin(tot / n), "val_loss": fin(vl), "val_acc": round(va, 4),
                                     "chance_acc": 0.25}))
