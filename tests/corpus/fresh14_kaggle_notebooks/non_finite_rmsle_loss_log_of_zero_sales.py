#!/usr/bin/env python
# coding: utf-8
# expect: non_finite
# allow: exploding_gradients, non_convergence
# forbid: *
# evidence: target has Poisson zeros; planted log(pred)-log(y) loss is NaN from the first epoch in all 3 folds (train/val loss nan in rmsle_history.csv, ~2490 non-finite parameters per fold, all 1000 OOF preds NaN; OOF RMSLE 2.37 after NaN->0 vs constant baseline 0.73); control (log1p(clamp(pred,0)) vs log1p(y)) OOF RMSLE 0.356, no non-finite params; log has 3 folds stacked
# control: --control
# native-log: rmsle_history.csv
# log-expect: non_finite
# log-allow: non_convergence, exploding_gradients

# # Bike/store sales - train directly on RMSLE: sqrt(mean((log(pred) - log(y))^2))
# Some days have 0 sales, and pred comes from a plain Linear head, so log() sees 0 and negatives.
# --control: the usual log1p(clamp(pred, 0)) / log1p(y) form (the only change)

# %%
import os, sys, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
from sklearn.model_selection import KFold
from tqdm.auto import tqdm

CONTROL = "--control" in sys.argv
random.seed(13); np.random.seed(13); torch.manual_seed(13)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

# %%
rng = np.random.RandomState(13)
N = 1000
hour = rng.randint(0, 24, N); temp = rng.uniform(-5, 35, N); hum = rng.uniform(20, 100, N); workday = rng.binomial(1, 0.7, N)
rate = np.exp(1.0 + 1.5 * np.sin(np.pi * hour / 24) + 0.04 * temp - 0.01 * hum + 0.3 * workday)
y = rng.poisson(rate).astype(np.float32)            # counts, many zeros at night
X = np.stack([np.sin(2 * np.pi * hour / 24), np.cos(2 * np.pi * hour / 24), (temp - 15) / 12, (hum - 60) / 23, workday], 1).astype(np.float32)
print("zeros in target: %.1f%%, mean %.2f" % (100 * (y == 0).mean(), y.mean()))

def rmsle_loss(pred, target):
    if CONTROL:
        return torch.sqrt(torch.mean((torch.log1p(pred.clamp(min=0)) - torch.log1p(target)) ** 2))
    return torch.sqrt(torch.mean((torch.log(pred) - torch.log(target)) ** 2))

def rmsle_metric(pred, target):
    return float(np.sqrt(np.mean((np.log1p(np.clip(pred, 0, None)) - np.log1p(target)) ** 2)))

# %%
hist = []; oof = np.zeros_like(y); nonfinite_params = []
for fold, (tr, va) in enumerate(KFold(3, shuffle=True, random_state=13).split(X)):
    Xtr, ytr, Xva, yva = map(torch.tensor, (X[tr], y[tr], X[va], y[va]))
    model = nn.Sequential(nn.Linear(5, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))
    with torch.no_grad():
        model[-1].bias.fill_(float(y.mean()))
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    for ep in (pbar := tqdm(range(15), desc=f"fold {fold}", leave=False)):
        model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0
        for i in range(0, len(perm), 64):
            b = perm[i:i + 64]
            loss = rmsle_loss(model(Xtr[b]).squeeze(1), ytr[b])
            opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(b)
        model.eval()
        with torch.no_grad():
            pv = model(Xva).squeeze(1); vl = rmsle_loss(pv, yva).item()
        hist.append({"fold": fold, "epoch": ep, "loss": tl / len(Xtr), "val_loss": vl, "val_rmsle": rmsle_metric(pv.numpy(), y[va])})
        pbar.set_postfix(loss=tl / len(Xtr), val_rmsle=hist[-1]["val_rmsle"])
    oof[va] = pv.numpy()
    nonfinite_params.append(sum(int((~torch.isfinite(p)).sum()) for p in model.parameters()))
    print(f"fold {fold}: train loss {tl/len(Xtr)} val loss {vl} val RMSLE {hist[-1]['val_rmsle']} non-finite params {nonfinite_params[-1]}")

# %%
keys = list(hist[0].keys())
with open(os.path.join(LOG_DIR, "rmsle_history.csv"), "w", newline="") as f:
    w = csv.writer(f); w.writerow([""] + keys)
    for i, r in enumerate(hist):
        w.writerow([i] + [r[k] for k in keys])
oof_rmsle = rmsle_metric(np.nan_to_num(oof, nan=0.0), y)
base = rmsle_metric(np.full_like(y, np.expm1(np.log1p(y).mean())), y)
print(f"OOF RMSLE {oof_rmsle:.4f} (NaN preds -> 0) | constant baseline {base:.4f} | NaN preds {int(np.isnan(oof).sum())}")
print("CORPUS_METRIC " + json.dumps({"val_rmsle": round(oof_rmsle, 4), "baseline_rmsle": round(base, 4), "nan_preds": int(np.isnan(oof).sum()), "train_loss": hist[-1]["loss"] if np.isfinite(hist[-1]["loss"]) else str(hist[-1]["loss"]), "nonfinite_params": int(sum(nonfinite_params))}))
