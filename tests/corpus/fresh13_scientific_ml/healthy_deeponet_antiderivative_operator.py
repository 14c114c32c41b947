# Operator learning toy (DeepONet, Lu et al. 2021): learn G: u -> s with s(y) = int_0^y u(x) dx.
# Input functions u are random smooth Fourier series sampled at 40 fixed sensors (branch net);
# query locations y go through the trunk net; output = <branch, trunk> + bias.
# Train on 600 functions, validate on 150 unseen functions; metric = mean relative L2 error.
# expect:
# allow:
# forbid: *
# evidence: 150 unseen functions: val_mse 1.17e-3 vs target var 0.134 (R2 0.991), mean per-function rel L2 0.122 (zero predictor 1.0); train rel L2 0.125 = val (no gap)
import json, math, random
import numpy as np
import torch
import torch.nn as nn

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
M, P = 40, 50
sensors = torch.linspace(0, 1, M)
ys = torch.linspace(0, 1, P)

def make_functions(n):
    k = torch.arange(1, 6).float()
    a = torch.randn(n, 5) / k; b = torch.randn(n, 5) / k; c0 = torch.randn(n, 1) * 0.5
    u = lambda x: c0 + (a[:, :, None] * torch.cos(2 * math.pi * k[None, :, None] * x) + b[:, :, None] * torch.sin(2 * math.pi * k[None, :, None] * x)).sum(1)
    s = c0 * ys + (a[:, :, None] * torch.sin(2 * math.pi * k[None, :, None] * ys) / (2 * math.pi * k[None, :, None])
                   + b[:, :, None] * (1 - torch.cos(2 * math.pi * k[None, :, None] * ys)) / (2 * math.pi * k[None, :, None])).sum(1)
    return u(sensors), s      # (n, M), (n, P)

U_tr, S_tr = make_functions(600); U_va, S_va = make_functions(150)

class DeepONet(nn.Module):
    def __init__(self, p=40):
        super().__init__()
        self.branch = nn.Sequential(nn.Linear(M, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, p))
        self.trunk = nn.Sequential(nn.Linear(1, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, p), nn.Tanh())
        self.b0 = nn.Parameter(torch.zeros(1))
    def forward(self, u, y):
        return self.branch(u) @ self.trunk(y[:, None]).T + self.b0   # (n, P)

model = DeepONet()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
sched = torch.optim.lr_scheduler.StepLR(opt, 400, 0.3)
rel = lambda p, s: (torch.linalg.norm(p - s, dim=1) / torch.linalg.norm(s, dim=1)).mean().item()
for it in range(1, 1201):
    idx = torch.randint(0, 600, (64,))
    loss = ((model(U_tr[idx], ys) - S_tr[idx]) ** 2).mean()
    opt.zero_grad(); loss.backward(); opt.step(); sched.step()
    if it % 200 == 0:
        with torch.no_grad():
            pv = model(U_va, ys); vl = ((pv - S_va) ** 2).mean().item(); vr = rel(pv, S_va)
            tr_rel = rel(model(U_tr, ys), S_tr)
        print(f"it {it} train_mse {loss.item():.3e} val_mse {vl:.3e} train_relL2 {tr_rel:.4f} val_relL2 {vr:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": vl, "val_rel_l2": vr, "train_rel_l2": tr_rel, "target_var": S_va.var().item(), "train_loss": loss.item()}))
