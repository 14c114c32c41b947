#!/usr/bin/env python
# coding: utf-8
# expect:
# allow:
# forbid: *
# evidence: GroupKFold(4) by neighbourhood (unseen hoods in val), zoning target-encoded inside each fold, MSE on log1p(price): OOF RMSLE 0.124 (val_mse 0.0154) vs log-price var 0.197 (R2 0.92); irreducible ~0.0125 (noise 0.1^2 + unseen hood effect 0.05^2); train mse 0.0135; gkf_history.csv holds 4 folds stacked
# native-log: gkf_history.csv
# log-expect:
# log-allow:

# # House prices by neighbourhood - GroupKFold(4) on neighbourhood, in-fold target encoding of the zoning class,
# # MSE on log1p(price) (= RMSLE), price in dollars only used as the target (log-transformed)

# In[1]:

import os, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
from sklearn.model_selection import GroupKFold
from tqdm.auto import tqdm

random.seed(12); np.random.seed(12); torch.manual_seed(12)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

# In[2]:

rng = np.random.RandomState(12)
N, G = 1200, 40
hood = rng.randint(0, G, N); quality = rng.randint(1, 11, N); area = rng.lognormal(7.3, 0.35, N); age = rng.uniform(0, 80, N)
zone = rng.randint(0, 12, N)                      # MSZoning-like category, shared across neighbourhoods
zone_eff = 0.25 * rng.randn(12)
hood_eff = 0.05 * rng.randn(G)
logp = 11.0 + 0.8 * (np.log(area) - 7.3) + 0.09 * (quality - 5) - 0.004 * age + zone_eff[zone] + hood_eff[hood] + 0.1 * rng.randn(N)
price = np.expm1(logp)
print("SalePrice describe: mean %.0f  min %.0f  max %.0f" % (price.mean(), price.min(), price.max()))

# In[3]:

def features(idx, te_map, te_default):
    te = np.array([te_map.get(z, te_default) for z in zone[idx]])
    num = np.stack([(np.log(area[idx]) - 7.3) / 0.35, (quality[idx] - 5.5) / 2.9, (age[idx] - 40) / 23, (te - 11.0) / 0.3], 1)
    return num.astype(np.float32)

y_log = np.log1p(price).astype(np.float32); y_c = y_log.mean()
hist = []; oof = np.zeros(N, dtype=np.float32)
for fold, (tr, va) in enumerate(GroupKFold(4).split(hood, y_log, groups=hood)):
    te_map = {z: y_log[tr][zone[tr] == z].mean() for z in np.unique(zone[tr])}   # target encoding of zone, fit on the train fold only
    Xtr = torch.tensor(features(tr, te_map, y_log[tr].mean())); Xva = torch.tensor(features(va, te_map, y_log[tr].mean()))
    ytr = torch.tensor(y_log[tr] - y_c); yva = torch.tensor(y_log[va] - y_c)
    model = nn.Sequential(nn.Linear(4, 64), nn.SiLU(), nn.Linear(64, 32), nn.SiLU(), nn.Linear(32, 1))
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    for ep in (pbar := tqdm(range(15), desc=f"fold {fold}", leave=False)):
        model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0
        for i in range(0, len(perm), 32):
            b = perm[i:i + 32]
            loss = nn.functional.mse_loss(model(Xtr[b]).squeeze(1), ytr[b])
            opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(b)
        model.eval()
        with torch.no_grad():
            pv = model(Xva).squeeze(1); vl = nn.functional.mse_loss(pv, yva).item()
        hist.append({"fold": fold, "epoch": ep, "loss": tl / len(Xtr), "val_loss": vl, "val_rmsle": vl ** 0.5})
        pbar.set_postfix(rmsle=(tl / len(Xtr)) ** 0.5, val_rmsle=vl ** 0.5)
    oof[va] = pv.numpy() + y_c
    print(f"fold {fold}: hoods in val {len(np.unique(hood[va]))}, val RMSLE {vl**0.5:.4f}")

# In[4]:

oof_rmsle = float(np.sqrt(np.mean((oof - y_log) ** 2)))
print(f"OOF RMSLE {oof_rmsle:.4f}  (std of log price {y_log.std():.4f})")
keys = list(hist[0].keys())
with open(os.path.join(LOG_DIR, "gkf_history.csv"), "w", newline="") as f:
    w = csv.writer(f); w.writerow([""] + keys)
    for i, r in enumerate(hist):
        w.writerow([i] + [r[k] for k in keys])
print("CORPUS_METRIC " + json.dumps({"val_rmsle": round(oof_rmsle, 4), "val_mse": round(oof_rmsle ** 2, 4), "target_var": round(float(y_log.var()), 4), "train_loss": round(hist[-1]["loss"], 4)}))
