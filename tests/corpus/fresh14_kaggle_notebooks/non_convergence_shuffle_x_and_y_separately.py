#!/usr/bin/env python
# coding: utf-8
# expect: non_convergence
# allow: high_bias, overfitting, high_variance
# forbid: *
# evidence: planted (X and y shuffled with different permutations, labels unrelated to inputs): train loss 2.313 -> 2.199 in 15 epochs (ln 10 = 2.303; slow memorisation of noise, train acc 0.20), val_loss 2.30 -> 2.33, val_acc 0.05-0.14, final 0.086 (chance 0.10); control (one permutation): train loss 2.05 -> 0.094, val_loss 0.34, val_acc 0.897
# control: --control
# native-log: log.csv
# log-expect: non_convergence
# log-allow: high_bias, overfitting, high_variance

# # Digits "competition" starter - shuffle cell bug: X and y shuffled with two different permutations
# --control: one permutation applied to both (the only change)

# In[1]:

import os, sys, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from tqdm.auto import tqdm

CONTROL = "--control" in sys.argv
random.seed(18); np.random.seed(18); torch.manual_seed(18)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

# In[2]:

X, y = load_digits(return_X_y=True)
X = (X / 16.0).astype(np.float32)
n = len(X); n_tr = 1400
X_train, y_train = X[:n_tr], y[:n_tr]
X_valid, y_valid = X[n_tr:], y[n_tr:]

# In[3]:

# shuffle the training set
if CONTROL:
    p = np.random.permutation(n_tr); X_train, y_train = X_train[p], y_train[p]
else:
    X_train = X_train[np.random.permutation(n_tr)]
    y_train = y_train[np.random.permutation(n_tr)]

# In[4]:

Xtr, ytr, Xva, yva = map(torch.tensor, (X_train, y_train, X_valid, y_valid))
model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
rows = []
for epoch in (pbar := tqdm(range(15))):
    model.train(); perm = torch.randperm(n_tr); tl = 0.0; corr = 0
    for i in range(0, n_tr, 32):
        b = perm[i:i + 32]
        out = model(Xtr[b]); loss = nn.functional.cross_entropy(out, ytr[b])
        opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(b); corr += (out.argmax(1) == ytr[b]).sum().item()
    model.eval()
    with torch.no_grad():
        o = model(Xva); vl = nn.functional.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    rows.append({"epoch": epoch, "loss": tl / n_tr, "acc": corr / n_tr, "val_loss": vl, "val_acc": va})
    pbar.set_postfix(loss=tl / n_tr, val_acc=va)

# In[5]:

keys = list(rows[0].keys())
print("\t".join(keys))
for r in rows[-3:]:
    print("\t".join(f"{r[k]:.4f}" for k in keys))
with open(os.path.join(LOG_DIR, "log.csv"), "w", newline="") as f:
    w = csv.writer(f); w.writerow([""] + keys)
    for i, r in enumerate(rows):
        w.writerow([i] + [r[k] for k in keys])
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(rows[-1]["loss"], 4), "first_train_loss": round(rows[0]["loss"], 4), "chance_acc": 0.1}))
