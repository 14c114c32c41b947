"""Denoising autoencoder for anomaly detection on synthetic sensor vectors. Normal data live
on a 3-D nonlinear manifold in 16-D plus isotropic sensor noise (sigma=0.15), so the
reconstruction MSE cannot go below ~ the noise floor: the val loss flattens there by
design. Threshold = 99th percentile of val reconstruction error on normal data; precision /
recall on a test set with 5% off-manifold anomalies. Logs JSON lines.
"""
# expect:
# allow:
# forbid: *
# evidence: val recon-MSE flattens at 0.0262, just above the sensor-noise floor (sigma^2=0.0225; data variance 0.68); 99th-pct threshold gives precision 0.806, recall 1.000 on 5% anomalies
# native-log: dae_log.jsonl
# log-expect:
# log-allow:
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

rng = np.random.RandomState(0)
W1, W2 = rng.randn(3, 16), rng.randn(3, 16) * 0.5
SIG = 0.15
def normal(n):
    z = rng.randn(n, 3)
    return np.tanh(z @ W1) + 0.5 * np.sin(z @ W2) + SIG * rng.randn(n, 16)
def anomalies(n):  # same marginal scale, but off the manifold
    x = normal(n)
    return x[:, rng.permutation(16)] + SIG * rng.randn(n, 16)

Xtr = torch.tensor(normal(3000), dtype=torch.float32)
Xva = torch.tensor(normal(600), dtype=torch.float32)
n_norm, n_anom = 950, 50
Xte = torch.tensor(np.vstack([normal(n_norm), anomalies(n_anom)]), dtype=torch.float32)
yte = np.r_[np.zeros(n_norm), np.ones(n_anom)]

model = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 3),
                      nn.Linear(3, 64), nn.ReLU(), nn.Linear(64, 16))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
log = open(os.path.join(LOG_DIR, "dae_log.jsonl"), "w")
EPOCHS, BS = 40, 128
floor = SIG ** 2
for ep in range(1, EPOCHS + 1):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0
    for i in range(0, len(Xtr), BS):
        xb = Xtr[perm[i:i + BS]]
        loss = ((model(xb + 0.1 * torch.randn_like(xb)) - xb) ** 2).mean()
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(xb)
    model.eval()
    with torch.no_grad():
        v = ((model(Xva) - Xva) ** 2).mean().item()
    log.write(json.dumps({"epoch": ep, "train_loss": round(tot / len(Xtr), 6), "val_loss": round(v, 6)}) + "\n"); log.flush()
    if ep % 5 == 0 or ep == 1:
        print(f"epoch {ep:2d} train {tot / len(Xtr):.4f}  val recon-MSE {v:.4f}  (sensor-noise floor ~{floor:.4f})")
with torch.no_grad():
    err_va = ((model(Xva) - Xva) ** 2).mean(1).numpy()
    err_te = ((model(Xte) - Xte) ** 2).mean(1).numpy()
thr = np.quantile(err_va, 0.99)
pred = err_te > thr
tp = int((pred & (yte == 1)).sum()); fp = int((pred & (yte == 0)).sum()); fn = int((~pred & (yte == 1)).sum())
prec, rec = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
var = Xva.var(0).mean().item()
print(f"threshold {thr:.4f}: precision {prec:.3f} recall {rec:.3f} (anomaly rate 5%); val MSE {v:.4f}, data variance {var:.4f}")
log.write(json.dumps({"final": True, "precision": prec, "recall": rec, "threshold": float(thr)}) + "\n"); log.close()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(v, 5), "noise_floor_mse": floor, "target_variance": round(var, 4),
                                     "precision": round(prec, 4), "recall": round(rec, 4), "anomaly_rate": 0.05}))
