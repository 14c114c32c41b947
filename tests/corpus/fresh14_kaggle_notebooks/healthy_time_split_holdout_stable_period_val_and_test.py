#!/usr/bin/env python
# coding: utf-8
# expect:
# allow:
# forbid: *
# evidence: stationary series, time split; train RMSE 0.259, valid (days 500-599) 0.260, test (days 600-699) 0.266 (mse 0.067/0.068/0.071 vs noise var 0.0625 and target var 0.40), so val ~ test ~ train ~ noise floor; history.csv has train/val curves for 12 epochs
# native-log: history.csv
# log-expect:
# log-allow:

# # Web traffic forecasting - time-based split: train = days 0-499, valid = days 500-599, test = days 600-699
# The process is stationary (weekly + yearly seasonality, lag features), so val and test RMSE agree.

# %%
import os, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
from tqdm.auto import tqdm

random.seed(29); np.random.seed(29); torch.manual_seed(29)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

# %%
rng = np.random.RandomState(29)
S, T = 8, 700                      # 8 pages x 700 days
t = np.arange(T)
level = rng.uniform(-0.5, 0.5, (S, 1))
series = level + 0.6 * np.sin(2 * np.pi * t / 7) + 0.4 * np.sin(2 * np.pi * t / 365.25) + 0.25 * rng.randn(S, T)
rows, tgt, days = [], [], []
for s in range(S):
    for d in range(14, T):
        lags = series[s, d - 14:d][::-1]        # lag_1 ... lag_14
        rows.append(np.r_[lags, np.sin(2 * np.pi * d / 7), np.cos(2 * np.pi * d / 7), np.sin(2 * np.pi * d / 365.25), np.cos(2 * np.pi * d / 365.25)])
        tgt.append(series[s, d]); days.append(d)
X = np.array(rows, dtype=np.float32); y = np.array(tgt, dtype=np.float32); days = np.array(days)
tr, va, te = days < 500, (days >= 500) & (days < 600), days >= 600
Xtr, ytr, Xva, yva, Xte, yte = (torch.tensor(a) for a in (X[tr], y[tr], X[va], y[va], X[te], y[te]))
print(f"train {tr.sum()} valid {va.sum()} test {te.sum()}  target var {y.var():.4f} noise var 0.0625")

# %%
model = nn.Sequential(nn.Linear(18, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
hist = []
for ep in (pbar := tqdm(range(12))):
    model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0
    for i in range(0, len(perm), 128):
        b = perm[i:i + 128]
        loss = nn.functional.mse_loss(model(Xtr[b]).squeeze(1), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(b)
    model.eval()
    with torch.no_grad():
        vl = nn.functional.mse_loss(model(Xva).squeeze(1), yva).item()
    hist.append({"epoch": ep, "train_rmse": (tl / len(Xtr)) ** 0.5, "val_rmse": vl ** 0.5})
    pbar.set_postfix(rmse=f"{(tl/len(Xtr))**0.5:.4f}", val_rmse=f"{vl**0.5:.4f}")

# %%
with torch.no_grad():
    tm = nn.functional.mse_loss(model(Xte).squeeze(1), yte).item(); trm = nn.functional.mse_loss(model(Xtr).squeeze(1), ytr).item()
print(f"train RMSE {trm**0.5:.4f} | valid (days 500-599) RMSE {vl**0.5:.4f} | test (days 600-699) RMSE {tm**0.5:.4f}")
keys = list(hist[0].keys())
with open(os.path.join(LOG_DIR, "history.csv"), "w", newline="") as f:
    w = csv.writer(f); w.writerow([""] + keys)
    for i, r in enumerate(hist):
        w.writerow([i] + [r[k] for k in keys])
print("CORPUS_METRIC " + json.dumps({"train_mse": round(trm, 4), "val_mse": round(vl, 4), "test_mse": round(tm, 4), "target_var": round(float(y.var()), 4), "noise_var": 0.0625}))
