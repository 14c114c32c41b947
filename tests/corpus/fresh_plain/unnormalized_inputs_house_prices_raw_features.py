# expect: unnormalized_inputs
# allow: high_bias, non_convergence, learning_rate_too_high, saturated_activations, dead_units
# forbid: *
# evidence: planted (raw features, scales 1 to 3e4): val_mse 0.562 (R^2 0.42), first-epoch train_mse 8.3e3, val curve jumpy; control (standardised): val_mse 0.026 (R^2 0.973); target variance 0.97
# control: --control
"""House-price regression on raw tabular features: square feet (~1e3), lot size (~1e4), year built
(~2e3), distance to centre in km (~1e1), bedrooms (~3), a 0-1 condition score.  The target is
log-price, standardised.  The features are fed to the MLP as they are.  --control standardises
the features with the training mean/std (what sklearn's StandardScaler would do); nothing else
changes."""
import json
import sys

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.set_num_threads(1)
torch.manual_seed(0)
NORMALIZE = "--control" in sys.argv


def houses(n, seed):
    g = torch.Generator().manual_seed(seed)
    sqft = 1800 + 600 * torch.randn(n, generator=g)
    lot = 9000 + 4000 * torch.rand(n, generator=g) * 3
    year = 1950 + 70 * torch.rand(n, generator=g)
    dist = 25 * torch.rand(n, generator=g) ** 1.5
    beds = torch.randint(1, 6, (n,), generator=g).float()
    cond = torch.rand(n, generator=g)
    log_price = (0.45 * (sqft - 1800) / 600 + 0.15 * (lot - 27000) / 10000 + 0.25 * ((year - 1985) / 20).tanh()
                 - 0.5 * torch.log1p(dist) + 0.1 * (beds - 3) + 0.4 * cond * (dist < 8).float()
                 + 0.1 * torch.randn(n, generator=g))
    x = torch.stack([sqft, lot, year, dist, beds, cond], 1)
    return x, log_price


x_tr, y_tr = houses(4000, 1)
x_va, y_va = houses(1000, 2)
y_mu, y_sd = y_tr.mean(), y_tr.std()
y_tr, y_va = (y_tr - y_mu) / y_sd, (y_va - y_mu) / y_sd
if NORMALIZE:
    mu, sd = x_tr.mean(0), x_tr.std(0)
    x_tr, x_va = (x_tr - mu) / sd, (x_va - mu) / sd

model = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.MSELoss()
loader = DataLoader(TensorDataset(x_tr, y_tr), batch_size=64, shuffle=True)

for epoch in range(30):
    model.train()
    tot = 0.0
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(xb).squeeze(1), yb)
        loss.backward()
        optimizer.step()
        tot += loss.item() * len(xb)
    model.eval()
    with torch.no_grad():
        val_mse = loss_fn(model(x_va).squeeze(1), y_va).item()
    if epoch % 3 == 0 or epoch == 29:
        print(f"epoch {epoch:2d} train_mse {tot / len(x_tr):.4f} val_mse {val_mse:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 4), "train_mse": round(tot / len(x_tr), 4),
                                     "target_var": round(y_va.var().item(), 4),
                                     "val_r2": round(1 - val_mse / y_va.var().item(), 4)}))
