# expect:
# allow:
# forbid: *
# evidence: shared trunk + ModuleDict heads: shape val_acc 0.962 (chance 0.25), radius val_mse 0.082 (target var 1.01), brightness val_mse 0.051 (target var 1.06)
import json
import random

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

random.seed(0)
np.random.seed(0)
torch.manual_seed(0)
torch.set_num_threads(1)

TASKS = {"shape": ("cls", 4), "radius": ("reg", 1), "brightness": ("reg", 1)}
N = 18


def render_batch(n, rs):
    Y, X = np.mgrid[:N, :N].astype(np.float32)
    imgs = np.zeros((n, 1, N, N), np.float32)
    shape = rs.randint(0, 4, n)
    radius = rs.uniform(2.5, 6.0, n).astype(np.float32)
    bright = rs.uniform(0.3, 1.0, n).astype(np.float32)
    for i in range(n):
        r = radius[i]
        cx, cy = rs.uniform(r, N - 1 - r, 2)
        dx, dy = X - cx, Y - cy
        if shape[i] == 0:
            m = dx * dx + dy * dy <= r * r
        elif shape[i] == 1:
            m = np.maximum(abs(dx), abs(dy)) <= r * 0.8
        elif shape[i] == 2:
            m = (abs(dx) + abs(dy)) <= r
        else:
            m = (dy <= r * 0.7) & (dy >= -r) & (abs(dx) <= (dy + r) * 0.55)
        imgs[i, 0][m] = bright[i]
    imgs += rs.normal(0, 0.1, imgs.shape).astype(np.float32)
    targets = {"shape": torch.from_numpy(shape).long(),
               "radius": torch.from_numpy((radius - 4.25) / 1.0),           # standardised
               "brightness": torch.from_numpy((bright - 0.65) / 0.2)}
    return torch.from_numpy(imgs), targets


class MultiHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(
            nn.Conv2d(1, 24, 3, padding=1), nn.GroupNorm(4, 24), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(24, 48, 3, padding=1), nn.GroupNorm(8, 48), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(48 * 4 * 4, 96), nn.ReLU())
        self.heads = nn.ModuleDict({name: nn.Linear(96, out) for name, (_, out) in TASKS.items()})

    def forward(self, x, tasks=None):
        h = self.trunk(x)
        return {t: self.heads[t](h) for t in (tasks or self.heads.keys())}


def task_loss(name, pred, target):
    kind, _ = TASKS[name]
    if kind == "cls":
        return F.cross_entropy(pred, target)
    return F.mse_loss(pred.squeeze(1), target)


rs = np.random.RandomState(1)
xtr, ttr = render_batch(1600, rs)
xva, tva = render_batch(500, np.random.RandomState(2))
model = MultiHead()
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=9)
weights = {"shape": 1.0, "radius": 0.5, "brightness": 0.5}

for epoch in range(9):
    model.train()
    perm = torch.randperm(len(xtr))
    agg = {t: 0.0 for t in TASKS}
    nb = 0
    for i in range(0, len(xtr), 40):
        idx = perm[i:i + 40]
        outs = model(xtr[idx])
        losses = {t: task_loss(t, outs[t], ttr[t][idx]) for t in outs}
        total = sum(weights[t] * l for t, l in losses.items())
        opt.zero_grad()
        total.backward()
        opt.step()
        for t in losses:
            agg[t] += losses[t].item()
        nb += 1
    sched.step()
    model.eval()
    with torch.no_grad():
        vo = model(xva)
        vl = {t: task_loss(t, vo[t], tva[t]).item() for t in TASKS}
        acc = (vo["shape"].argmax(1) == tva["shape"]).float().mean().item()
    print(f"epoch {epoch}: " + " ".join(f"train_{t}={agg[t] / nb:.4f}" for t in TASKS) + " | "
          + " ".join(f"val_{t}={v:.4f}" for t, v in vl.items()) + f" shape_acc={acc:.3f}")

result = {"train_loss": round(sum(weights[t] * agg[t] / nb for t in TASKS), 4),
          "val_loss": round(sum(weights[t] * vl[t] for t in TASKS), 4),
          "val_acc": round(acc, 4), "chance_acc": 0.25,
          "val_mse_radius": round(vl["radius"], 4), "target_var_radius": round(tva["radius"].var().item(), 4),
          "val_mse_brightness": round(vl["brightness"], 4),
          "target_var_brightness": round(tva["brightness"].var().item(), 4)}
print("CORPUS_METRIC " + json.dumps(result))
