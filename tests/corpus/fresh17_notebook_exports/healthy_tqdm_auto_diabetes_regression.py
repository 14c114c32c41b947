#!/usr/bin/env python
# coding: utf-8
# expect:
# allow:
# forbid: *
# evidence: diabetes MLP (AdamW, cosine, dropout): val MSE 0.509 on standardized target (target var 0.80), equal to a ridge baseline 0.510 -- the dataset's noise floor; train MSE 0.42
# native-log: metrics.csv
# log-expect:
# log-allow:

# # Diabetes progression -- MLP regressor with a tqdm.auto progress bar (Colab export)
# Noisy target: the best achievable R^2 on this dataset is about 0.5, so val MSE plateaus well above 0.

# In[1]:


# get_ipython().system('pip install -q tqdm')
import os, sys, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
from tqdm.auto import tqdm, trange
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.linear_model import Ridge

random.seed(0); np.random.seed(0); torch.manual_seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)


# In[2]:


X, y = load_diabetes(return_X_y=True)
X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.25, random_state=0)
xm, xs = X_tr.mean(0), X_tr.std(0); ym, ys = y_tr.mean(), y_tr.std()
X_tr, X_va = (X_tr - xm) / xs, (X_va - xm) / xs
t_tr, t_va = (y_tr - ym) / ys, (y_va - ym) / ys
ridge_mse = float(np.mean((Ridge(1.0).fit(X_tr, t_tr).predict(X_va) - t_va) ** 2))
print("ridge baseline val mse (standardized target):", round(ridge_mse, 4))
X_tr, X_va = torch.tensor(X_tr, dtype=torch.float32), torch.tensor(X_va, dtype=torch.float32)
t_tr, t_va = torch.tensor(t_tr, dtype=torch.float32), torch.tensor(t_va, dtype=torch.float32)


# In[3]:


model = nn.Sequential(nn.Linear(10, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 1))
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=5e-2)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=40)
crit = nn.MSELoss()
rows = []
pbar = trange(40, desc="epochs", file=sys.stderr)
for epoch in pbar:
    model.train()
    perm = torch.randperm(len(X_tr)); tot = 0.0
    for i in tqdm(range(0, len(perm), 16), leave=False, desc="batches", file=sys.stderr, disable=True):
        idx = perm[i:i + 16]
        loss = crit(model(X_tr[idx]).squeeze(1), t_tr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(idx)
    lr_now = sched.get_last_lr()[0]
    sched.step()
    model.eval()
    with torch.no_grad():
        vl = crit(model(X_va).squeeze(1), t_va).item()
    rows.append({"epoch": epoch, "train_loss": tot / len(perm), "val_loss": vl, "lr": lr_now})
    pbar.set_postfix(train_loss=f"{tot/len(perm):.4f}", val_loss=f"{vl:.4f}")


# In[4]:


with open(os.path.join(LOG_DIR, "metrics.csv"), "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0])); w.writeheader(); w.writerows(rows)
print(f"final train mse {rows[-1]['train_loss']:.4f}  val mse {rows[-1]['val_loss']:.4f}  (ridge {ridge_mse:.4f}, predicting the mean = {t_va.var().item():.4f})")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(rows[-1]["val_loss"], 4), "train_mse": round(rows[-1]["train_loss"], 4),
                                     "target_var": round(t_va.var().item(), 4), "ridge_val_mse": round(ridge_mse, 4)}))
