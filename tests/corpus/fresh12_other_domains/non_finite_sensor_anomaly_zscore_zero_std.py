"""Reconstruction-based anomaly detection on multichannel sensor snapshots: an MLP
autoencoder trained on normal data; anomalies scored by reconstruction error.
Planted: per-channel z-scoring divides by the training std, and one channel (a
status flag) is constant in the training data -> 0/0 = NaN in the inputs, and the
loss is NaN from the first step. --control adds an epsilon to the std."""
# expect: non_finite
# allow: non_convergence
# forbid: *
# evidence: planted: 2000 NaN input entries (one per row, the constant channel), train loss NaN from the start, anomaly AUC undefined; control (std + 1e-6): train recon MSE 0.050, val 0.052, anomaly AUC 1.00
# control: --control
# native-log:
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.metrics import roc_auc_score

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
rng = np.random.default_rng(0)

D, LAT = 24, 4
W = rng.normal(0, 1, (LAT, D))
SCALE, OFFSET = rng.uniform(1, 5, D), rng.uniform(-3, 10, D)


def normal_data(n):
    z = rng.normal(0, 1, (n, LAT))
    x = np.tanh(z @ W) * SCALE + OFFSET + 0.3 * rng.normal(0, 1, (n, D))
    x[:, 5] = 1.0                      # status channel: always "1 = OK" in normal operation
    return x


Xtr = normal_data(2000)
Xte_norm = normal_data(475)
Xte_anom = normal_data(25)
Xte_anom[:, :12] += rng.normal(0, 1.5, (25, 12))          # broken sensors
Xte = np.concatenate([Xte_norm, Xte_anom]); yte = np.r_[np.zeros(475), np.ones(25)]

mu, sd = Xtr.mean(0), Xtr.std(0)
if CONTROL:
    sd = sd + 1e-6
with np.errstate(divide="ignore", invalid="ignore"):
    Ztr = torch.tensor((Xtr - mu) / sd, dtype=torch.float32)
    Zte = torch.tensor((Xte - mu) / sd, dtype=torch.float32)
print("non-finite input entries in training tensor:", int((~torch.isfinite(Ztr)).sum()))

ae = nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Linear(64, 8), nn.ReLU(), nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, D))
opt = torch.optim.Adam(ae.parameters(), lr=1e-3)
for epoch in range(25):
    p = torch.randperm(len(Ztr)); tot = 0.0
    for i in range(0, len(Ztr), 64):
        xb = Ztr[p[i:i + 64]]
        loss = F.mse_loss(ae(xb), xb)
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(xb)
    if epoch % 5 == 0 or epoch == 24:
        print(f"epoch {epoch:2d} train_recon_mse {tot/len(Ztr):.4f}")
with torch.no_grad():
    err = ((ae(Zte) - Zte) ** 2).mean(1).numpy()
    val_mse = float(((ae(Zte[:475]) - Zte[:475]) ** 2).mean())
auc = float(roc_auc_score(yte, err)) if np.isfinite(err).all() else None
clean = lambda v: None if v is None or not np.isfinite(v) else round(float(v), 5)
print("CORPUS_METRIC " + json.dumps({"anomaly_auc": clean(auc), "val_recon_mse": clean(val_mse), "train_recon_mse": clean(tot / len(Ztr)),
                                      "auc_chance": 0.5, "anomaly_rate": 0.05}))
