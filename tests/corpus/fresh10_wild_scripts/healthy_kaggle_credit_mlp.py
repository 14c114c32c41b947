#!/usr/bin/env python
# coding: utf-8
# expect:
# allow:
# forbid: *
# evidence: healthy tabular MLP; val_acc 0.759 vs Bayes accuracy 0.779 of the built-in label noise (majority 0.651), train_loss 0.443 / val_loss 0.489, val loss flat over the last epochs
# Exported from a Kaggle notebook: "Credit default - simple PyTorch MLP"
# (pandas was not available in the kernel, so the preprocessing uses numpy arrays)

# In[1]:
import os, sys, math, json
import numpy as np
import torch
import torch.nn as nn
from tqdm import tqdm

torch.set_num_threads(1)
SEED = 42
np.random.seed(SEED); torch.manual_seed(SEED)

# In[2]:  synthetic stand-in for the competition csv
rng = np.random.default_rng(SEED)
n = 6000
age = rng.integers(21, 70, n).astype(float)
income = rng.lognormal(10.5, 0.5, n)
debt = rng.lognormal(9.5, 0.8, n)
n_cards = rng.poisson(3, n).astype(float)
late = rng.poisson(1.0, n).astype(float)
region = rng.choice(4, n)
logit = -0.5 + 1.6 * np.log(debt / income) + 0.7 * late - 0.03 * (age - 45) + 0.25 * (region == 2) + 0.15 * n_cards + 2.0
p_true = 1 / (1 + np.exp(-logit))
y = (rng.random(n) < p_true).astype(np.float32)
print("default rate:", y.mean().round(3))

# In[3]:  feature engineering
X = np.column_stack([age, np.log(income), np.log(debt), n_cards, late, np.log(debt / income)] + [(region == k).astype(float) for k in range(4)]).astype(np.float32)
idx = rng.permutation(n)
tr, va = idx[:4800], idx[4800:]
mu, sd = X[tr].mean(0), X[tr].std(0) + 1e-6
X = (X - mu) / sd
Xtr, ytr, Xva, yva = map(torch.tensor, (X[tr], y[tr], X[va], y[va]))
bayes_acc = float(np.mean(np.maximum(p_true[va], 1 - p_true[va])))

# In[4]:
model = nn.Sequential(nn.Linear(X.shape[1], 64), nn.ReLU(), nn.Dropout(0.1), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
crit = nn.BCEWithLogitsLoss()
EPOCHS, BS = 25, 64

# In[5]:
for e in range(EPOCHS):
    model.train()
    perm = torch.randperm(len(Xtr))
    run = 0.0
    for i in tqdm(range(0, len(Xtr), BS), desc=f"epoch {e}", leave=False, file=sys.stderr):
        b = perm[i:i + BS]
        opt.zero_grad()
        loss = crit(model(Xtr[b]).squeeze(1), ytr[b])
        loss.backward(); opt.step()
        run += loss.item() * len(b)
    model.eval()
    with torch.no_grad():
        out = model(Xva).squeeze(1)
        vl = crit(out, yva).item(); va_acc = ((out > 0).float() == yva).float().mean().item()
    print(f"Epoch {e}: train_loss={run/len(Xtr):.4f} val_loss={vl:.4f} val_acc={va_acc:.4f}")

# In[6]:
with torch.no_grad():
    tr_out = model(Xtr).squeeze(1)
    tl = crit(tr_out, ytr).item(); tr_acc = ((tr_out > 0).float() == ytr).float().mean().item()
maj = float(max(yva.mean().item(), 1 - yva.mean().item()))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va_acc, 4), "train_loss": round(tl, 4), "train_acc": round(tr_acc, 4), "bayes_acc": round(bayes_acc, 4), "majority_acc": round(maj, 4), "chance_acc": 0.5}))
