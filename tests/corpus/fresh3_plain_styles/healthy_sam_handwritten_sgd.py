# expect:
# allow:
# forbid: *
# evidence: val_acc 0.961, val_loss 0.120 (chance 0.25), train_loss 0.103
"""Sharpness-Aware Minimisation written by hand around SGD+momentum: each step computes the
gradient, moves the weights by rho * g/||g|| (rho 0.05), recomputes the gradient there, restores
the weights and applies the base optimiser with the second gradient. Two forward/backward passes
per step. Task: 4-class 'two interleaved rings' problem lifted into 10 dims, small batches (32),
step lr decay at 2/3 of training.
"""
import json
import math

import torch
from torch import nn
from torch.nn import functional as F


def make_data(n, g, proj):
    y = torch.randint(0, 4, (n,), generator=g)
    r = 0.6 + 0.45 * y.float() + 0.08 * torch.randn(n, generator=g)
    a = 2 * math.pi * torch.rand(n, generator=g)
    pts = torch.stack([r * torch.cos(a), r * torch.sin(a)], 1)
    return torch.tanh(pts @ proj) + 0.05 * torch.randn(n, 10, generator=g), y


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    proj = torch.randn(2, 10, generator=g) / 2
    xtr, ytr = make_data(2000, g, proj)
    xva, yva = make_data(1000, g, proj)
    model = nn.Sequential(nn.Linear(10, 96), nn.ReLU(), nn.Linear(96, 96), nn.ReLU(), nn.Linear(96, 4))
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[12], gamma=0.1)
    rho = 0.05
    params = list(model.parameters())
    for epoch in range(18):
        model.train()
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 32):
            idx = perm[i:i + 32]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            with torch.no_grad():
                gnorm = torch.norm(torch.stack([p.grad.norm() for p in params])) + 1e-12
                eps = [rho * p.grad / gnorm for p in params]
                for p, e in zip(params, eps):
                    p.add_(e)
            opt.zero_grad()
            F.cross_entropy(model(xtr[idx]), ytr[idx]).backward()
            with torch.no_grad():
                for p, e in zip(params, eps):
                    p.sub_(e)
            opt.step()
        sched.step()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        print(f"epoch {epoch} loss {loss.item():.4f} val_loss {F.cross_entropy(lv, yva).item():.4f} "
              f"val_acc {(lv.argmax(1) == yva).float().mean().item():.4f}")
    model.eval()
    with torch.no_grad():
        lv, lt = model(xva), model(xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
        "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, ytr).item(), 4),
        "chance_acc": 0.25,
    }))


if __name__ == "__main__":
    main()
