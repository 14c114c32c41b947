"""Regression MLP on sklearn diabetes (standardised features and target) trained with ASGD.
The lr was set to 1e-5 ("ASGD averages, so keep it small"); every update is tiny relative to the
weights and the loss barely moves. --control uses lr=1e-2. Prints the update/weight ratio."""
# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: control (ASGD lr=1e-2) val_mse 0.523 (target var 0.801), train_mse 0.43, update/weight ratio ~3e-2; planted (lr=1e-5) update/weight ~1.2e-5, train_mse 1.117 -> 1.093 over 40 epochs, val_mse 0.858 (worse than predicting the mean)
# control: --control
import os, sys, json, random
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

CONTROL = "--control" in sys.argv
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
X, y = load_diabetes(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0)
sx = StandardScaler().fit(Xtr); my, sy = ytr.mean(), ytr.std()
Xtr = torch.tensor(sx.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sx.transform(Xva), dtype=torch.float32)
ytr = torch.tensor((ytr - my) / sy, dtype=torch.float32); yva = torch.tensor((yva - my) / sy, dtype=torch.float32)

model = nn.Sequential(nn.Linear(10, 64), nn.Tanh(), nn.Linear(64, 32), nn.Tanh(), nn.Linear(32, 1))
LR = 1e-2 if CONTROL else 1e-5
opt = torch.optim.ASGD(model.parameters(), lr=LR, t0=200)
for epoch in range(40):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0; ratios = []
    for i in range(0, len(Xtr), 16):
        idx = perm[i:i + 16]
        loss = F.mse_loss(model(Xtr[idx]).squeeze(1), ytr[idx])
        opt.zero_grad(); loss.backward()
        probe = i % 64 == 0
        if probe:
            before = [p.detach().clone() for p in model.parameters()]
        opt.step()
        if probe:
            ratios.append(np.mean([((p.detach() - b).norm() / (b.norm() + 1e-12)).item() for p, b in zip(model.parameters(), before)]))
        tot += loss.item() * len(idx)
    tr = tot / len(Xtr)
    model.eval()
    with torch.no_grad():
        vl = F.mse_loss(model(Xva).squeeze(1), yva).item()
    if epoch % 5 == 0 or epoch == 39:
        print(f"epoch {epoch:2d} train_mse {tr:.4f} val_mse {vl:.4f} update/weight {np.mean(ratios):.2e}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 4), "train_mse": round(tr, 4), "target_var": round(yva.var().item(), 4), "update_ratio": float(f"{np.mean(ratios):.3g}")}))
