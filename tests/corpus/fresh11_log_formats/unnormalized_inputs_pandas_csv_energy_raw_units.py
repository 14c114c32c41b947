# expect: unnormalized_inputs
# allow: non_convergence, high_bias, learning_rate_too_high, exploding_gradients
# forbid: *
# evidence: planted (raw columns, income mean 68k / std 36k next to occupants 1-6): epoch-1 train MSE 1.75e6, val 8125, then val MSE wanders 1.26-1.91 for 30 epochs, never below the target variance 0.93 (worse than predicting the mean), final val 1.259. Control (standardised inputs): val MSE 0.278 after epoch 1 -> 0.028 at epoch 30, train 0.022
# control: --control
# native-log: history.csv
# log-expect:
# log-allow: non_convergence, high_bias, learning_rate_too_high, exploding_gradients
"""Household energy regression fed raw columns (degC, %, m^2, people, hour, yearly income in $).

The features span -10..35, 10..95, 40..450, 1..6, 0..23 and ~20k..300k; nobody standardised them.
The target is standardised.  The per-epoch history is kept the pandas way
(`pd.DataFrame(history).to_csv("history.csv")`: an unnamed index column first, full-precision
floats), written here by hand because pandas is not needed for it.  --control standardises the
inputs with the training-set mean/std; nothing else changes.
"""
import json
import os
import random
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
SEED = 0
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="pandas_raw_")
os.makedirs(LOG_DIR, exist_ok=True)

rs = np.random.RandomState(0)
n = 2400
temp = rs.uniform(-10, 35, n)
hum = rs.uniform(10, 95, n)
area = rs.uniform(40, 450, n)
occ = rs.randint(1, 7, n).astype(float)
hour = rs.randint(0, 24, n).astype(float)
income = rs.lognormal(11, 0.5, n)
energy = (0.02 * area * (1 + 0.04 * np.abs(temp - 18)) + 3 * occ * (1 + np.sin(2 * np.pi * hour / 24))
          + 0.05 * hum + 2e-5 * income + rs.normal(0, 1.5, n))
X = np.stack([temp, hum, area, occ, hour, income], 1)
y = (energy - energy.mean()) / energy.std()
Xtr, Xva, ytr, yva = X[:2000], X[2000:], y[:2000], y[2000:]
print("feature means:", np.round(Xtr.mean(0), 1), "stds:", np.round(Xtr.std(0), 1))
if CONTROL:
    mu, sd = Xtr.mean(0), Xtr.std(0)
    Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr, dtype=torch.float32), torch.tensor(yva, dtype=torch.float32)

model = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
EPOCHS, BS = 30, 32
history = []
for epoch in range(1, EPOCHS + 1):
    model.train()
    p = torch.randperm(len(Xtr))
    tot = 0.0
    for i in range(0, len(Xtr), BS):
        b = p[i:i + BS]
        loss = F.mse_loss(model(Xtr[b]).squeeze(1), ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(b)
    model.eval()
    with torch.no_grad():
        pred = model(Xva).squeeze(1)
        vl = F.mse_loss(pred, yva).item()
        vmae = (pred - yva).abs().mean().item()
    history.append({"epoch": epoch, "loss": tot / len(Xtr), "val_loss": vl, "val_mae": vmae, "lr": opt.param_groups[0]["lr"]})
    if epoch % 5 == 0 or epoch <= 3:
        print(f"epoch {epoch:2d} loss {tot / len(Xtr):.4f} val_loss {vl:.4f} val_mae {vmae:.4f}")

cols = list(history[0].keys())
with open(os.path.join(LOG_DIR, "history.csv"), "w") as f:
    f.write("," + ",".join(cols) + "\n")
    for i, h in enumerate(history):
        f.write(str(i) + "," + ",".join(repr(h[c]) for c in cols) + "\n")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 4), "train_mse": round(tot / len(Xtr), 4),
                                      "target_var": round(float(yva.var()), 4)}))
