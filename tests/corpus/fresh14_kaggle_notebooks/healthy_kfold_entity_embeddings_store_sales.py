#!/usr/bin/env python
# coding: utf-8
# expect:
# allow:
# forbid: *
# evidence: 5-fold KFold, new EmbNet+Adam per fold (train loss restarts at ~2.1-2.4 at each fold start, look-alike); OOF RMSE 0.600 (val_mse 0.360) vs target var 2.24 (R2 0.84), noise var 0.25 so near the floor; per-fold val_rmse 0.57-0.64, train_loss 0.18; history.csv holds all 5 folds stacked (fold column, pandas-style index column)
# native-log: history.csv
# log-expect:
# log-allow:

# # Store Sales - entity embeddings baseline (5-fold)
# exported from notebook

# In[1]:

import os, sys, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
from sklearn.model_selection import KFold
from tqdm.auto import tqdm

SEED = 42
random.seed(SEED); np.random.seed(SEED); torch.manual_seed(SEED)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

def save_df(rows, path):
    try:
        import pandas as pd
        pd.DataFrame(rows).to_csv(path)
    except ImportError:
        keys = list(rows[0].keys())
        with open(path, "w", newline="") as f:
            w = csv.writer(f); w.writerow([""] + keys)
            for i, r in enumerate(rows):
                w.writerow([i] + [r[k] for k in keys])

# In[2]:

# build the "train.csv"
N = 1000
rng = np.random.RandomState(SEED)
store = rng.randint(0, 20, N); item = rng.randint(0, 30, N); dow = rng.randint(0, 7, N)
price = rng.uniform(1, 20, N); promo = rng.binomial(1, 0.3, N)
s_eff = rng.randn(20); i_eff = rng.randn(30); d_eff = np.sin(np.arange(7))
y = s_eff[store] + i_eff[item] + d_eff[dow] + 0.6 * promo - 0.05 * price + 0.5 * rng.randn(N)
y = y.astype(np.float32)
num = np.stack([price, promo], 1).astype(np.float32)
num = (num - num.mean(0)) / num.std(0)
cats = np.stack([store, item, dow], 1)
print("train shape", cats.shape, num.shape, "target std %.3f" % y.std())

# In[3]:

class EmbNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.embs = nn.ModuleList([nn.Embedding(20, 6), nn.Embedding(30, 8), nn.Embedding(7, 3)])
        self.mlp = nn.Sequential(nn.Linear(6 + 8 + 3 + 2, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))
    def forward(self, c, x):
        e = [emb(c[:, i]) for i, emb in enumerate(self.embs)]
        return self.mlp(torch.cat(e + [x], 1)).squeeze(1)

C = torch.tensor(cats); X = torch.tensor(num); Y = torch.tensor(y)
EPOCHS, BS = 12, 64

# In[4]:

oof = np.zeros(N, dtype=np.float32)
history = []
kf = KFold(n_splits=5, shuffle=True, random_state=SEED)
for fold, (tr, va) in enumerate(kf.split(cats)):
    model = EmbNet()
    opt = torch.optim.Adam(model.parameters(), lr=5e-3, weight_decay=1e-5)
    tr_t = torch.tensor(tr); va_t = torch.tensor(va)
    pbar = tqdm(range(EPOCHS), desc=f"fold {fold}", leave=False)
    for epoch in pbar:
        model.train(); perm = tr_t[torch.randperm(len(tr_t))]; tot = 0.0
        for i in range(0, len(perm), BS):
            b = perm[i:i + BS]
            loss = nn.functional.mse_loss(model(C[b], X[b]), Y[b])
            opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(b)
        model.eval()
        with torch.no_grad():
            pv = model(C[va_t], X[va_t]); vl = nn.functional.mse_loss(pv, Y[va_t]).item()
        history.append({"fold": fold, "epoch": epoch, "train_loss": tot / len(tr), "val_loss": vl, "val_rmse": vl ** 0.5})
        pbar.set_postfix(loss=f"{tot/len(tr):.4f}", val_rmse=f"{vl**0.5:.4f}")
    oof[va] = pv.numpy()
    print(f"fold {fold} val_rmse {vl**0.5:.4f}")

# In[5]:

oof_rmse = float(np.sqrt(np.mean((oof - y) ** 2)))
print("OOF RMSE %.4f  R2 %.3f" % (oof_rmse, 1 - oof_rmse ** 2 / y.var()))
save_df(history, os.path.join(LOG_DIR, "history.csv"))
last = history[-1]
print("CORPUS_METRIC " + json.dumps({"oof_rmse": round(oof_rmse, 4), "val_mse": round(oof_rmse ** 2, 4), "target_var": round(float(y.var()), 4), "train_loss": round(last["train_loss"], 4)}))
