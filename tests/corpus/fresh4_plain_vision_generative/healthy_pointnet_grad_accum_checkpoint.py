# expect:
# allow:
# forbid: *
# evidence: PointNet-style set classifier on 2-D point clouds (5 outline shapes): val_acc 0.962, val_loss 0.228 (epoch1 1.42; chance 0.20); grad accumulation 4x16 + activation checkpointing
"""Tiny PointNet for 2-D point clouds, trained with gradient accumulation (micro-batch 16,
effective batch 64) and torch.utils.checkpoint on the per-point MLP to save memory."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint

torch.set_num_threads(1)
torch.manual_seed(21)

N_POINTS = 64
SHAPES = ["circle", "square", "segment", "two_clusters", "triangle"]
MICRO, ACCUM = 16, 4


def sample_cloud(kind, g):
    t = torch.rand(N_POINTS, generator=g)
    if kind == "circle":
        a = 2 * math.pi * t
        p = torch.stack([torch.cos(a), torch.sin(a)], 1)
    elif kind == "square":
        side = torch.randint(0, 4, (N_POINTS,), generator=g)
        u = 2 * t - 1
        p = torch.stack([torch.where(side < 2, u, torch.where(side == 2, -1.0, 1.0)),
                         torch.where(side < 2, torch.where(side == 0, -1.0, 1.0), u)], 1)
    elif kind == "segment":
        p = torch.stack([2 * t - 1, torch.zeros(N_POINTS)], 1)
    elif kind == "two_clusters":
        s = torch.where(torch.rand(N_POINTS, generator=g) < 0.5, -1.0, 1.0)
        p = torch.stack([0.7 * s, torch.zeros(N_POINTS)], 1) + 0.15 * torch.randn(N_POINTS, 2, generator=g)
    else:
        verts = torch.tensor([[0.0, 1.0], [-0.87, -0.5], [0.87, -0.5]])
        e = torch.randint(0, 3, (N_POINTS,), generator=g)
        p = verts[e] + t[:, None] * (verts[(e + 1) % 3] - verts[e])
    ang = 2 * math.pi * torch.rand(1, generator=g)
    rot = torch.tensor([[torch.cos(ang), -torch.sin(ang)], [torch.sin(ang), torch.cos(ang)]])
    scale = 0.6 + 0.8 * torch.rand(1, generator=g)
    shift = 0.3 * torch.randn(1, 2, generator=g)
    return (p @ rot.T) * scale + shift + 0.03 * torch.randn(N_POINTS, 2, generator=g)


def make(n, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, len(SHAPES), (n,), generator=g)
    x = torch.stack([sample_cloud(SHAPES[k], g) for k in y])
    return x, y


class PointNet2D(nn.Module):
    def __init__(self, width=64):
        super().__init__()
        self.point_mlp = nn.Sequential(
            nn.Linear(2, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(),
            nn.Linear(width, 2 * width), nn.ReLU())
        self.head = nn.Sequential(nn.Linear(2 * width, width), nn.ReLU(), nn.Dropout(0.1),
                                  nn.Linear(width, len(SHAPES)))

    def forward(self, pts):                                # (B, N, 2)
        pts = pts - pts.mean(1, keepdim=True)              # translation invariance
        if self.training:
            feats = checkpoint(self.point_mlp, pts, use_reentrant=False)
        else:
            feats = self.point_mlp(pts)
        return self.head(feats.max(1).values)


xtr, ytr = make(1600, 1)
xva, yva = make(400, 2)
model = PointNet2D()
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-3)
EPOCHS = 10
updates_per_epoch = len(xtr) // (MICRO * ACCUM)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS * updates_per_epoch)

for epoch in range(EPOCHS):
    model.train()
    perm = torch.randperm(len(xtr))
    ep_loss, n_micro = 0.0, 0
    opt.zero_grad()
    for m in range(len(xtr) // MICRO):
        idx = perm[m * MICRO:(m + 1) * MICRO]
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        (loss / ACCUM).backward()
        ep_loss += loss.item()
        n_micro += 1
        if (m + 1) % ACCUM == 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            sched.step()
            opt.zero_grad()
    model.eval()
    with torch.no_grad():
        out = model(xva)
        val_loss = F.cross_entropy(out, yva).item()
        val_acc = (out.argmax(1) == yva).float().mean().item()
    print(f"epoch {epoch + 1:2d}  train_loss {ep_loss / n_micro:.4f}  val_loss {val_loss:.4f}  val_acc {val_acc:.3f}")

print("CORPUS_METRIC " + json.dumps({"train_loss": round(ep_loss / n_micro, 4), "val_loss": round(val_loss, 4),
                                     "val_acc": round(val_acc, 4), "chance_acc": 0.2}))
