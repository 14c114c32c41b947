# expect:
# allow:
# forbid: *
# evidence: 3-arm noisy spirals, MLP trained with SAM (two forward/backward passes per step, rho 0.05) around SGD momentum + StepLR; val_acc 0.977, val_loss 0.050 after 25 epochs (chance 0.33)
"""Sharpness-Aware Minimisation written out by hand: ascend to w + e(w), take the gradient there,
come back to w and step with that gradient."""
import json
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
K = 3


def spirals(n):
    y = torch.randint(0, K, (n,))
    r = torch.rand(n)
    theta = r * 3.5 + y.float() * 2 * math.pi / K
    x = torch.stack([r * torch.cos(theta), r * torch.sin(theta)], 1) * 2 + 0.06 * torch.randn(n, 2)
    return x, y


xtr, ytr = spirals(3000)
xva, yva = spirals(1000)
model = nn.Sequential(nn.Linear(2, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, K))
base = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
sched = torch.optim.lr_scheduler.StepLR(base, step_size=10, gamma=0.3)
RHO = 0.05
params = [p for p in model.parameters()]

for epoch in range(25):
    model.train()
    perm = torch.randperm(len(xtr))
    tot = 0.0
    for s in range(0, len(xtr), 64):
        idx = perm[s:s + 64]
        xb, yb = xtr[idx], ytr[idx]
        # first pass: gradient at w
        loss = F.cross_entropy(model(xb), yb)
        base.zero_grad()
        loss.backward()
        gnorm = torch.norm(torch.stack([p.grad.norm() for p in params]))
        eps = []
        with torch.no_grad():
            for p in params:
                e = p.grad * (RHO / (gnorm + 1e-12))
                p.add_(e)
                eps.append(e)
        # second pass: gradient at the perturbed point
        base.zero_grad()
        F.cross_entropy(model(xb), yb).backward()
        with torch.no_grad():
            for p, e in zip(params, eps):
                p.sub_(e)
        base.step()
        tot += loss.item() * len(idx)
    sched.step()
    model.eval()
    with torch.no_grad():
        lv = model(xva)
        val_loss = F.cross_entropy(lv, yva).item()
        val_acc = (lv.argmax(1) == yva).float().mean().item()
    train_loss = tot / len(xtr)
    print(f"epoch {epoch} train_loss {train_loss:.4f} val_loss {val_loss:.4f} val_acc {val_acc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                      "train_loss": round(train_loss, 4), "chance_acc": round(1 / K, 4)}))
