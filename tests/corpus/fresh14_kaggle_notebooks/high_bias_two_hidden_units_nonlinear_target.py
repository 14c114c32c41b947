#!/usr/bin/env python
# coding: utf-8
# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: target var 0.70, noise var 0.01; planted (2 tanh hidden units): mean train mse 0.463, OOF val mse 0.475 (R2 0.32), train ~ val so no variance problem; control (128 units): train mse 0.098, val mse 0.115 (R2 0.84); history.csv holds 3 folds stacked with a cosine lr column
# control: --control
# native-log: history.csv
# log-expect:
# log-allow: high_bias, non_convergence

# %% [markdown]
# Tabular playground (regression) - a "tiny" MLP with 2 hidden units on a strongly nonlinear target.
# --control: 128 hidden units (the only change)

# %%
import os, sys, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
from sklearn.model_selection import KFold
from tqdm.auto import tqdm

HIDDEN = 128 if "--control" in sys.argv else 2
random.seed(4); np.random.seed(4); torch.manual_seed(4)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

# %%
rng = np.random.RandomState(4)
N = 1200
X = rng.uniform(-2, 2, (N, 4)).astype(np.float32)
y = (np.sin(2 * X[:, 0]) * np.cos(2 * X[:, 1]) + 0.5 * X[:, 2] ** 2 - 0.5 * np.abs(X[:, 3]) + 0.1 * rng.randn(N)).astype(np.float32)
y = y - y.mean()
print("target var %.4f  noise var 0.01" % y.var())

# %%
hist = []; oof = np.zeros_like(y); tr_mse = []
for fold, (tr, va) in enumerate(KFold(3, shuffle=True, random_state=4).split(X)):
    Xtr, ytr, Xva, yva = map(torch.tensor, (X[tr], y[tr], X[va], y[va]))
    model = nn.Sequential(nn.Linear(4, HIDDEN), nn.Tanh(), nn.Linear(HIDDEN, 1))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=40)
    for ep in (pbar := tqdm(range(40), desc=f"fold {fold}", leave=False)):
        model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0
        for i in range(0, len(perm), 64):
            b = perm[i:i + 64]
            loss = nn.functional.mse_loss(model(Xtr[b]).squeeze(1), ytr[b])
            opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(b)
        sched.step()
        model.eval()
        with torch.no_grad():
            vl = nn.functional.mse_loss(model(Xva).squeeze(1), yva).item()
        hist.append({"fold": fold, "epoch": ep, "lr": sched.get_last_lr()[0], "train_mse": tl / len(Xtr), "val_mse": vl})
        pbar.set_postfix(mse=tl / len(Xtr), val_mse=vl)
    with torch.no_grad():
        oof[va] = model(Xva).squeeze(1).numpy(); tr_mse.append(nn.functional.mse_loss(model(Xtr).squeeze(1), ytr).item())
    print(f"fold {fold}: train mse {tr_mse[-1]:.4f} val mse {vl:.4f}")

# %%
val_mse = float(np.mean((oof - y) ** 2))
keys = list(hist[0].keys())
with open(os.path.join(LOG_DIR, "history.csv"), "w", newline="") as f:
    w = csv.writer(f); w.writerow([""] + keys)
    for i, r in enumerate(hist):
        w.writerow([i] + [r[k] for k in keys])
print(f"OOF mse {val_mse:.4f}  R2 {1 - val_mse / y.var():.3f}  mean train mse {np.mean(tr_mse):.4f}  (noise var 0.01)")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 4), "train_mse": round(float(np.mean(tr_mse)), 4), "target_var": round(float(y.var()), 4), "noise_var": 0.01, "val_r2": round(1 - val_mse / float(y.var()), 4)}))
