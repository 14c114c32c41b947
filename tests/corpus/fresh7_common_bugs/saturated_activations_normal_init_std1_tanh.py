# expect: saturated_activations
# allow: poor_initialization, vanishing_gradients, non_convergence, high_bias, overfitting, high_variance
# forbid: *
# evidence: control (std=1/sqrt(fan_in)) val_mse 0.032 (target var 0.91); planted (normal_ std=1) probe: 57/80/81/81 % of tanh outputs |y|>0.99 in layers 1-4 at init and still at the end (control <1 %), val_mse 44.7 while train_mse 0.78
# control: --control
"""Regression of a smooth 24-feature response surface with a 4-hidden-layer tanh MLP (width 128),
Adam(lr=1e-3), 20 epochs; target standardised.

Planted bug: the custom init calls `nn.init.normal_(m.weight)` and forgets `std=...`, so every
weight is N(0, 1). With 128 inputs per unit the pre-activations have std ~11 and almost every
tanh unit sits at +-1 from the first step. `--control` uses nn.init.normal_(w, std=1/sqrt(fan_in))
(LeCun init); nothing else changes.
"""
import json
import math
import sys

import torch
import torch.nn as nn

CONTROL = "--control" in sys.argv


class TanhNet(nn.Module):
    def __init__(self, d_in=24, width=128, depth=4):
        super().__init__()
        dims = [d_in] + [width] * depth
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:]))
        self.out = nn.Linear(width, 1)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                if CONTROL:
                    nn.init.normal_(m.weight, std=1 / math.sqrt(m.in_features))
                else:
                    nn.init.normal_(m.weight)   # BUG: std defaults to 1.0
                nn.init.zeros_(m.bias)

    def forward(self, x, probe=False):
        sat = []
        for lin in self.layers:
            x = torch.tanh(lin(x))
            sat.append((x.abs() > 0.99).float().mean().item())
        y = self.out(x).squeeze(-1)
        return (y, sat) if probe else y


def make(n, g, U):
    x = torch.randn(n, 24, generator=g)
    y = torch.sin(x @ U[:, 0]) + 0.5 * (x @ U[:, 1]) ** 2 / 4 + torch.tanh(x @ U[:, 2]) + 0.1 * torch.randn(n, generator=g)
    return x, y


torch.manual_seed(0)
torch.set_num_threads(1)
g = torch.Generator().manual_seed(13)
U = torch.randn(24, 3, generator=g) / math.sqrt(24)
xtr, ytr = make(4000, g, U)
xva, yva = make(1000, g, U)
m_, s_ = ytr.mean(), ytr.std()
ytr, yva = (ytr - m_) / s_, (yva - m_) / s_
net = TanhNet()
with torch.no_grad():
    _, sat0 = net(xtr[:1000], probe=True)
print("probe at init: fraction of tanh outputs with |y|>0.99 per layer:", [round(v, 3) for v in sat0])
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
mse = nn.MSELoss()
for ep in range(20):
    perm = torch.randperm(len(xtr))
    tot = 0.0
    for i in range(0, len(xtr), 64):
        idx = perm[i:i + 64]
        opt.zero_grad()
        loss = mse(net(xtr[idx]), ytr[idx])
        loss.backward()
        opt.step()
        tot += loss.item() * len(idx)
    with torch.no_grad():
        vm = mse(net(xva), yva).item()
    if ep % 4 == 3:
        print(f"epoch {ep+1:2d} train_mse {tot/len(xtr):.4f} val_mse {vm:.4f}")
with torch.no_grad():
    _, sat1 = net(xva, probe=True)
    tm = mse(net(xtr), ytr).item()
print("probe at end: fraction of tanh outputs with |y|>0.99 per layer:", [round(v, 3) for v in sat1])
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm, 4), "train_mse": round(tm, 4),
                                     "target_var": round(yva.var().item(), 4)}))
