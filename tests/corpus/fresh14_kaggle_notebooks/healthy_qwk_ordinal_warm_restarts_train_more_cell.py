#!/usr/bin/env python
# coding: utf-8
# expect:
# allow:
# forbid: *
# evidence: ordinal 5-level target, val mse 0.594 and train mse 0.529 vs target var 1.65 and a Monte-Carlo Bayes mse of ~0.58 for this data (the latent noise), so at the floor; val QWK 0.767; warm restarts every 6 epochs give loss bumps in qwk_log.csv (lr column); 18+6 epochs across two cells
# native-log: qwk_log.csv
# log-expect:
# log-allow:

# # Petfinder-style adoption speed (ordinal 0-4) - regression head + rounding, QWK metric printed per epoch
# CosineAnnealingWarmRestarts (T_0=6): the loss bumps up at every restart. A second cell trains some more.

# In[1]:

import os, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
from sklearn.model_selection import train_test_split
from sklearn.metrics import cohen_kappa_score
from tqdm.auto import tqdm

random.seed(23); np.random.seed(23); torch.manual_seed(23)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

# In[2]:

rng = np.random.RandomState(23)
N = 1600
age = rng.randint(1, 100, N); fee = rng.choice([0, 50, 100, 200], N, p=[0.6, 0.2, 0.15, 0.05]); photos = rng.poisson(3, N)
breed = rng.randint(0, 15, N); breed_eff = rng.randn(15) * 0.5
latent = 0.02 * age + 0.004 * fee - 0.25 * photos + breed_eff[breed] + 0.6 * rng.randn(N)
y = np.digitize(latent, np.quantile(latent, [0.15, 0.4, 0.65, 0.85])).astype(np.float32)
X = np.hstack([np.stack([(age - 50) / 29, (fee - 40) / 60, (photos - 3) / 1.7], 1), np.eye(15)[breed]]).astype(np.float32)
print("AdoptionSpeed value_counts:", dict(zip(*np.unique(y, return_counts=True))))
X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.25, random_state=23, stratify=y)
Xtr, ytr, Xva, yva = map(torch.tensor, (X_tr, y_tr, X_va, y_va))

# In[3]:

model = nn.Sequential(nn.Linear(18, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
scheduler = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=6)
log = []

def qwk(pred, true):
    return cohen_kappa_score(np.clip(np.rint(pred), 0, 4).astype(int), true.astype(int), weights="quadratic")

def fit(n_epochs, desc):
    for _ in (pbar := tqdm(range(n_epochs), desc=desc)):
        ep = len(log); model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0; nb = (len(perm) + 31) // 32
        for j, i in enumerate(range(0, len(perm), 32)):
            b = perm[i:i + 32]
            loss = nn.functional.mse_loss(model(Xtr[b]).squeeze(1), ytr[b])
            optimizer.zero_grad(); loss.backward(); optimizer.step(); scheduler.step(ep + j / nb); tl += loss.item() * len(b)
        model.eval()
        with torch.no_grad():
            pv = model(Xva).squeeze(1); vl = nn.functional.mse_loss(pv, yva).item()
        k = qwk(pv.numpy(), y_va)
        log.append({"epoch": ep, "lr": optimizer.param_groups[0]["lr"], "train_loss": tl / len(Xtr), "valid_loss": vl, "qwk": k})
        pbar.set_postfix(loss=f"{tl/len(Xtr):.4f}", val=f"{vl:.4f}", qwk=f"{k:.4f}")

fit(18, "fit")

# In[4]:

# train some more (3 more cycles would be too many; one more)
fit(6, "more")

# In[5]:

print("epoch      lr  train_loss  valid_loss     qwk")
for r in log[-6:]:
    print(f"{r['epoch']:5d} {r['lr']:.5f} {r['train_loss']:11.4f} {r['valid_loss']:11.4f} {r['qwk']:7.4f}")
keys = list(log[0].keys())
with open(os.path.join(LOG_DIR, "qwk_log.csv"), "w", newline="") as f:
    w = csv.writer(f); w.writerow([""] + keys)
    for i, r in enumerate(log):
        w.writerow([i] + [r[k] for k in keys])
print("CORPUS_METRIC " + json.dumps({"val_qwk": round(log[-1]["qwk"], 4), "val_mse": round(log[-1]["valid_loss"], 4), "target_var": round(float(y_va.var()), 4), "train_loss": round(log[-1]["train_loss"], 4)}))
