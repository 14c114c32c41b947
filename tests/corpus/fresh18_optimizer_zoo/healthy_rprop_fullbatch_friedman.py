"""Full-batch Rprop on a small regression net (synthetic Friedman #1, 1500 samples, noise sd 1, standardised X and y).
Rprop uses only the gradient sign with per-weight step sizes that grow x1.2 while the sign
agrees: the first iterations take big jumps (loss spikes), then it settles. Full batch is
exactly the setting Rprop is meant for. Val MSE ends near the linear-model optimum."""
# expect:
# allow:
# forbid: *
# evidence: Rprop full batch, 120 iterations: train MSE 0.89 -> 0.037 (big sign-steps in the first 5 iterations: 0.89 -> 0.29), val_mse 0.0479 (target var 0.974, noise floor ~0.04 in standardised units; ridge baseline 0.265)
import os, json, random
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import make_friedman1
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
X, y = make_friedman1(n_samples=1500, n_features=8, noise=1.0, random_state=0)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0)
sx = StandardScaler().fit(Xtr); my, sy = ytr.mean(), ytr.std()
Xtr_n, Xva_n = sx.transform(Xtr), sx.transform(Xva)
ridge_mse = float(np.mean((Ridge(1.0).fit(Xtr_n, (ytr - my) / sy).predict(Xva_n) - (yva - my) / sy) ** 2))
Xtr = torch.tensor(Xtr_n, dtype=torch.float32); Xva = torch.tensor(Xva_n, dtype=torch.float32)
ytr = torch.tensor((ytr - my) / sy, dtype=torch.float32); yva = torch.tensor((yva - my) / sy, dtype=torch.float32)

model = nn.Sequential(nn.Linear(8, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 1))
opt = torch.optim.Rprop(model.parameters(), lr=0.01, etas=(0.5, 1.2), step_sizes=(1e-6, 0.5))
best = (float("inf"), None)
for it in range(120):
    model.train()
    loss = F.mse_loss(model(Xtr).squeeze(1), ytr)
    opt.zero_grad(); loss.backward(); opt.step()
    model.eval()
    with torch.no_grad():
        vl = F.mse_loss(model(Xva).squeeze(1), yva).item()
    if it % 10 == 0 or it < 6 or it == 119:
        print(f"iter {it:3d} train_mse {loss.item():.4f} val_mse {vl:.4f}")
with torch.no_grad():
    tr = F.mse_loss(model(Xtr).squeeze(1), ytr).item()
print(f"ridge baseline val_mse {ridge_mse:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 4), "train_mse": round(tr, 4), "target_var": round(yva.var().item(), 4), "ridge_val_mse": round(ridge_mse, 4)}))
