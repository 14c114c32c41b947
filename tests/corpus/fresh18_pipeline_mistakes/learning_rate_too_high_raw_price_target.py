"""Synthetic house-price regression. Features are standardised properly, but the target is
left in raw units of $1000 (mean ~270, std ~85) and trained with MSE and the usual
SGD(lr=1e-3, momentum=0.9). The huge squared errors produce updates far too large for the
weights: the loss oscillates, then diverges and becomes inf/NaN within the first epoch. --control standardises the target
with train statistics (the metric is always reported in dollars). Prints per-epoch loss and
the gradient norm of the first layer."""
# expect: learning_rate_too_high
# allow: exploding_gradients, non_finite, non_convergence
# forbid: *
# evidence: planted (target in raw $1000s, var 7212): loss 4.5e4 oscillates then climbs to 1.6e12 by step 22 and inf/nan at step 28, layer-0 grad norm 37 -> 7.5e8; val_mse nan; control (standardised target) val_mse 98 ($1000^2) vs variance 7212 (R^2 0.986), grad norm ~0.2
# control: --control
import os, sys, json, math, random
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
rng = np.random.RandomState(0)
N = 2000
sqft = rng.uniform(600, 3500, N); rooms = rng.randint(1, 6, N); age = rng.uniform(0, 80, N); dist = rng.uniform(0.5, 30, N)
price_k = (40000 + 95 * sqft + 12000 * rooms - 700 * age - 2500 * dist + 8000 * rng.randn(N)) / 1000.0
X = np.c_[sqft, rooms, age, dist]; y = price_k
X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.2, random_state=0)
mu, sd = X_tr.mean(0), X_tr.std(0); X_tr, X_va = (X_tr - mu) / sd, (X_va - mu) / sd
ymu, ysd = (y_tr.mean(), y_tr.std()) if CONTROL else (0.0, 1.0)   # BUG in planted run: raw $1000 units
T = lambda a: torch.tensor(a, dtype=torch.float32)
dl = DataLoader(TensorDataset(T(X_tr), T((y_tr - ymu) / ysd)), batch_size=32, shuffle=True)
Xv = T(X_va)
model = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
first_gn = None
for ep in range(10):
    model.train(); losses = []; gns = []
    for xb, yb in dl:
        opt.zero_grad(); loss = nn.functional.mse_loss(model(xb).squeeze(1), yb); loss.backward()
        gn = model[0].weight.grad.norm().item(); gns.append(gn)
        if first_gn is None: first_gn = gn
        opt.step(); losses.append(loss.item())
        if ep == 0 and len(losses) <= 30 and len(losses) % 3 == 1:
            print(f"  epoch 0 step {len(losses)} loss {loss.item():.3e} layer0_gradnorm {gn:.3e}")
    model.eval()
    with torch.no_grad():
        pred = model(Xv).squeeze(1).numpy() * ysd + ymu
    val_mse = float(np.mean((pred - y_va) ** 2))
    print(f"epoch {ep} first_batch_loss {losses[0]:.3e} max_loss {max(losses):.3e} last_loss {losses[-1]:.3e} layer0_gradnorm max {max(gns):.3e} last {gns[-1]:.3e} val_mse {val_mse:.3e}")
var = float(np.var(y_va))
print(f"first-batch layer0 grad norm {first_gn:.3e}; target variance {var:.3e}")
print("CORPUS_METRIC " + json.dumps({"val_mse": val_mse if math.isfinite(val_mse) else str(val_mse), "target_var": round(var, 1),
      "val_r2": round(1 - val_mse / var, 4) if math.isfinite(val_mse) else None, "train_loss_last": losses[-1] if math.isfinite(losses[-1]) else str(losses[-1])}))
