# expect:
# allow:
# forbid: *
# evidence: healthy; val_mse 0.029 vs target var 0.911 (R^2 0.97), train_mse 0.010, <1% saturated tanh units
# native-log: tanh_regression.csv
# log-expect:
# log-allow:
"""Regression of a smooth 24-feature response surface with a 4-hidden-layer tanh MLP (width 128),
LeCun-normal init (std = 1/sqrt(fan_in)), Adam(lr=1e-3) with a cosine decay, 20 epochs; target
standardised. Healthy twin of saturated_activations_normal_init_std1_tanh.py. Writes
tanh_regression.csv (epoch, lr, mse_train, mse_val).
"""
import csv
import json
import math
import os
import tempfile

import torch
import torch.nn as nn



class TanhNet(nn.Module):
    def __init__(self, d_in=24, width=128, depth=4):
        super().__init__()
        dims = [d_in] + [width] * depth
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:]))
        self.out = nn.Linear(width, 1)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, std=1 / math.sqrt(m.in_features))
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
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
fh = open(os.path.join(log_dir, "tanh_regression.csv"), "w", newline="")
wr = csv.writer(fh)
wr.writerow(["epoch", "lr", "mse_train", "mse_val"])
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
    wr.writerow([ep + 1, f"{opt.param_groups[0]['lr']:.6f}", f"{tot/len(xtr):.5f}", f"{vm:.5f}"])
    sched.step()
    if ep % 4 == 3:
        print(f"epoch {ep+1:2d} train_mse {tot/len(xtr):.4f} val_mse {vm:.4f}")
fh.close()
with torch.no_grad():
    _, sat1 = net(xva, probe=True)
    tm = mse(net(xtr), ytr).item()
print("probe at end: fraction of tanh outputs with |y|>0.99 per layer:", [round(v, 3) for v in sat1])
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm, 4), "train_mse": round(tm, 4),
                                     "target_var": round(yva.var().item(), 4)}))
