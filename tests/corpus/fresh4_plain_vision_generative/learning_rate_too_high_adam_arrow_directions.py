# expect: learning_rate_too_high
# allow: non_convergence, dead_units, exploding_gradients, non_finite, high_bias
# forbid: *
# evidence: planted (switched SGD->Adam but kept SGD's lr=0.3) val_acc 0.113, val_loss 2.12, train_loss 2.11 (epoch0 mean 463; chance 0.125); control (lr=1e-3) val_acc 0.998, val_loss 0.0095, train_loss 0.0046
# control: --lr 1e-3
"""Which way does the arrow point? 8 compass directions, arrows drawn with random length,
thickness and position, plus noise."""
import argparse
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--lr", type=float, default=0.3)   # worked well with SGD+momentum earlier
p.add_argument("--epochs", type=int, default=8)
p.add_argument("--batch-size", type=int, default=32)
opt_args = p.parse_args()

torch.set_num_threads(1)
torch.manual_seed(31)
S = 18
grid_y, grid_x = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")


def seg_dist(p0, p1):
    """distance of every pixel to the segment p0-p1"""
    d = p1 - p0
    t = (((grid_x - p0[0]) * d[0] + (grid_y - p0[1]) * d[1]) / (d @ d)).clamp(0, 1)
    return ((grid_x - p0[0] - t * d[0]) ** 2 + (grid_y - p0[1] - t * d[1]) ** 2).sqrt()


def arrow(direction, g):
    ang = direction * math.pi / 4
    u = torch.tensor([math.cos(ang), -math.sin(ang)])
    n = torch.tensor([-u[1], u[0]])
    c = S / 2 + 1.5 * (torch.rand(2, generator=g) * 2 - 1)
    L = 4.5 + 2.0 * torch.rand(1, generator=g).item()
    tail, tip = c - L * u, c + L * u
    w = 0.6 + 0.5 * torch.rand(1, generator=g).item()
    d = torch.minimum(seg_dist(tail, tip), seg_dist(tip, tip - 3 * u + 2.5 * n))
    d = torch.minimum(d, seg_dist(tip, tip - 3 * u - 2.5 * n))
    return (d <= w).float() + 0.25 * torch.randn(S, S, generator=g)


def make(n, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 8, (n,), generator=g)
    return torch.stack([arrow(int(k), g) for k in y]).unsqueeze(1), y


xtr, ytr = make(1200, 1)
xva, yva = make(400, 2)
model = nn.Sequential(
    nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(64 * 4 * 4, 128), nn.ReLU(), nn.Linear(128, 8))
optimizer = torch.optim.Adam(model.parameters(), lr=opt_args.lr)

for epoch in range(opt_args.epochs):
    model.train()
    idx_all = torch.randperm(len(xtr))
    seen, loss_sum = 0, 0.0
    for k in range(0, len(xtr), opt_args.batch_size):
        idx = idx_all[k:k + opt_args.batch_size]
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        loss_sum += loss.item() * len(idx)
        seen += len(idx)
    model.eval()
    with torch.no_grad():
        logits = model(xva)
    val_loss = F.cross_entropy(logits, yva).item()
    val_acc = (logits.argmax(1) == yva).float().mean().item()
    print(f"epoch {epoch}: train_loss {loss_sum / seen:.4f} val_loss {val_loss:.4f} val_acc {val_acc:.3f}")


def fin(v):
    return round(v, 4) if math.isfinite(v) else None


print("CORPUS_METRIC " + json.dumps({"train_loss": fin(loss_sum / seen), "val_loss": fin(val_loss),
                                     "val_acc": round(val_acc, 4), "chance_acc": 0.125}))
