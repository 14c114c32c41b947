# expect:
# allow:
# forbid: *
# evidence: smooth synthetic regression (y = sin(3 x0) + x1^2 - x2 x3 + noise sd 0.1, 6 inputs), the model's weights kept in a plain dict and called through torch.func.functional_call (meta-learning style), AdamW, ReduceLROnPlateau(mode="min", patience 2) stepped on val MSE: val_mse 0.0214, train_mse 0.019 vs target variance 1.34 (noise floor 0.01); the loss sits on a plateau near 0.5 for epochs 4-12 before dropping (a look-alike, not a failure)
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import functional_call

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
rng = np.random.default_rng(0)
X = rng.uniform(-1.5, 1.5, size=(1500, 6)).astype(np.float32)
y = (np.sin(3 * X[:, 0]) + X[:, 1] ** 2 - X[:, 2] * X[:, 3] + rng.normal(0, 0.1, 1500)).astype(np.float32)
Xtr, Xva = torch.tensor(X[:1200]), torch.tensor(X[1200:]); ytr, yva = torch.tensor(y[:1200]), torch.tensor(y[1200:])

net = nn.Sequential(nn.Linear(6, 128), nn.SiLU(), nn.Linear(128, 128), nn.SiLU(), nn.Linear(128, 1))
params = {k: v.detach().clone().requires_grad_(True) for k, v in net.named_parameters()}
opt = torch.optim.AdamW(params.values(), lr=3e-3, weight_decay=1e-4)
sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.3, patience=2)
bs = 64
for ep in range(30):
    perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), bs):
        idx = perm[i:i + bs]
        pred = functional_call(net, params, (Xtr[idx],)).squeeze(1)
        loss = F.mse_loss(pred, ytr[idx])
        opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
        tot += loss.item() * len(idx)
    with torch.no_grad():
        vl = F.mse_loss(functional_call(net, params, (Xva,)).squeeze(1), yva).item()
    sched.step(vl)
    tl = tot / len(Xtr)
    print(f"epoch {ep} train_mse {tl:.4f} val_mse {vl:.4f} lr {opt.param_groups[0]['lr']:.1e}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 4), "train_mse": round(tl, 4), "target_var": round(float(yva.var()), 4), "noise_var": 0.01}))
