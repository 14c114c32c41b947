# expect: poor_initialization
# allow: high_bias, non_convergence
# forbid: *
# evidence: every Linear initialised with nn.init.constant_(w, 0.05) and zero bias ("deterministic init for reproducible runs"): hidden units never break symmetry (probe: max |w_i - w_j| across first-layer units = 0.0 after training), so the net is effectively one tanh unit wide and cannot separate the rings; planted val_acc 0.323, val_loss 1.099 (chance 0.333); --control (default init) val_acc 1.000, val_loss 0.011
# control: --control
"""Tanh MLP on a 3-class concentric-rings problem (plus distractor features), Adam. The init is the only difference."""
import json
import math
import sys
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
CONTROL = "--control" in sys.argv
K = 3


def make(n):
    y = torch.randint(0, K, (n,))
    r = y.float() + 0.5 + 0.15 * torch.randn(n)
    a = torch.rand(n) * 2 * math.pi
    x = torch.stack([r * torch.cos(a), r * torch.sin(a)], 1)
    x = torch.cat([x, 0.5 * torch.randn(n, 4)], 1)      # 4 distractor features
    return x / 1.2, y


xtr, ytr = make(3000)
xva, yva = make(800)
model = nn.Sequential(nn.Linear(6, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, K))
if not CONTROL:
    for m in model:
        if isinstance(m, nn.Linear):
            nn.init.constant_(m.weight, 0.05)
            nn.init.zeros_(m.bias)
opt = torch.optim.Adam(model.parameters(), lr=3e-3)

for epoch in range(12):
    model.train()
    perm = torch.randperm(len(xtr))
    tot = 0.0
    for s in range(0, len(xtr), 64):
        idx = perm[s:s + 64]
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        lv = model(xva)
        val_loss = F.cross_entropy(lv, yva).item()
        val_acc = (lv.argmax(1) == yva).float().mean().item()
    train_loss = tot / len(xtr)
    print(f"epoch {epoch} train_loss {train_loss:.4f} val_loss {val_loss:.4f} val_acc {val_acc:.3f}")

w = model[0].weight.detach()
spread = (w[:, None, :] - w[None, :, :]).abs().max().item()
print(f"probe: max |w_i - w_j| between first-layer hidden units = {spread:.2e}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4), "train_loss": round(train_loss, 4),
                                      "unit_spread": round(spread, 6), "chance_acc": round(1 / K, 4)}))
