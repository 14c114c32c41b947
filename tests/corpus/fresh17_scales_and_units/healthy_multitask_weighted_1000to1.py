# expect:
# allow:
# forbid: *
# evidence: healthy; total = 1000*mse + ce: val_total 1.53 -> 0.345; regression head val_mse 7.6e-5 vs target var 2.9e-3 (R^2 0.97, noise var 2.5e-5); class head val_acc 0.879 (majority 0.489)
"""Shared trunk with a regression head (target in metres, tiny MSE ~1e-3) and a classification head.
Total loss = 1000 * mse + 1 * ce, a 1000:1 weighting chosen so both terms matter; both heads end good."""
import os, sys, json, random
import numpy as np, torch, torch.nn as nn
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
g = torch.Generator().manual_seed(0)
D = 12
A = torch.randn(D, 3, generator=g)
def sample(n):
    X = torch.randn(n, D, generator=g); z = X @ A / D ** 0.5
    reg = 0.05 * torch.tanh(z[:, 0:1]) + 0.03 * z[:, 1:2] + 0.005 * torch.randn(n, 1, generator=g)   # metres, sd ~0.05
    cls = ((z[:, 1] + 0.5 * z[:, 2] + 0.3 * torch.randn(n, generator=g)) > 0).long() + (z[:, 2] > 0.8).long()
    return X, reg, cls
Xtr, rtr, ctr = sample(3000); Xva, rva, cva = sample(1000)
class Net(nn.Module):
    def __init__(s):
        super().__init__(); s.trunk = nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU()); s.reg = nn.Linear(64, 1); s.cls = nn.Linear(64, 3)
    def forward(s, x): h = s.trunk(x); return s.reg(h), s.cls(h)
model = Net(); opt = torch.optim.Adam(model.parameters(), lr=1e-3)
mse, ce = nn.MSELoss(), nn.CrossEntropyLoss()
for epoch in range(25):
    model.train(); perm = torch.randperm(3000); tt = 0.0
    for i in range(0, 3000, 64):
        idx = perm[i:i + 64]; r, c = model(Xtr[idx])
        loss = 1000 * mse(r, rtr[idx]) + 1 * ce(c, ctr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tt += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        r, c = model(Xva); vm = mse(r, rva).item(); vc = ce(c, cva).item(); va = (c.argmax(1) == cva).float().mean().item()
    print(f"epoch {epoch:2d} train_total {tt / 3000:.4f} val_total {1000 * vm + vc:.4f} val_mse {vm:.3e} val_ce {vc:.4f} val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(1000 * vm + vc, 4), "val_mse": vm, "target_var": rva.var().item(), "noise_var": 2.5e-5,
                                    "val_ce": round(vc, 4), "val_acc": round(va, 4), "train_loss": round(tt / 3000, 4),
                                    "chance_acc": round(float(torch.bincount(cva).max()) / len(cva), 4)}))
