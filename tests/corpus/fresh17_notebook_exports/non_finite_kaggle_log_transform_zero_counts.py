#!/usr/bin/env python
# coding: utf-8
# expect: non_finite
# allow: non_convergence, unnormalized_inputs
# forbid: *
# evidence: np.log of zero GarageCars/PoolArea -> 1459 non-finite feature cells, train and val loss nan from epoch 1; control (np.log1p) val_mse 0.106 vs target var 1.05
# control: --control
# native-log: history.csv
# log-expect: non_finite
# log-allow: non_convergence

# # House prices (synthetic stand-in) -- log-transform skewed columns, MLP regressor
# Kaggle kernel exported with nbconvert. "GarageCars" and "PoolArea" are skewed so they get np.log;
# some houses have no garage / no pool (0), which gives -inf.

# In[1]:


import os, sys, json, random, tempfile, warnings
import numpy as np
import torch
import torch.nn as nn

random.seed(0); np.random.seed(0); torch.manual_seed(0)
torch.set_num_threads(1)
CONTROL = "--control" in sys.argv
OUTPUT_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(OUTPUT_DIR, exist_ok=True)
warnings.filterwarnings("ignore")   # "divide by zero encountered in log" -- silenced in the notebook


# In[2]:


n = 1500
lot_area = np.random.lognormal(9.0, 0.5, n)
living = np.random.lognormal(7.3, 0.3, n)
garage = np.random.choice([0, 1, 2, 3], n, p=[0.08, 0.3, 0.5, 0.12]).astype(float)
pool = np.where(np.random.rand(n) < 0.1, np.random.lognormal(6, 0.3, n), 0.0)
year = np.random.randint(1900, 2010, n).astype(float)
log_price = (11.0 + 0.25 * np.log(lot_area) + 0.6 * (np.log(living) - 7.3) + 0.08 * garage
             + 0.02 * (pool > 0) + 0.004 * (year - 1950) + np.random.normal(0, 0.08, n))
y = (log_price - log_price.mean()) / log_price.std()   # standardized log SalePrice


# In[3]:


log = np.log1p if CONTROL else np.log
feats = np.column_stack([np.log(lot_area), np.log(living), log(garage), log(pool), (year - 1950) / 30.0])
print("non-finite feature cells:", int((~np.isfinite(feats)).sum()))
tr = np.arange(n) < 1200
m, s = feats[tr].mean(0), feats[tr].std(0)
feats = (feats - m) / s        # -inf columns turn the whole column's mean into -inf -> nan
X_tr = torch.tensor(feats[tr], dtype=torch.float32); X_va = torch.tensor(feats[~tr], dtype=torch.float32)
y_tr = torch.tensor(y[tr], dtype=torch.float32); y_va = torch.tensor(y[~tr], dtype=torch.float32)


# In[4]:


def to_csv(hist, path):
    """same layout as pandas' DataFrame(hist).to_csv(path) (pandas is not in this image)"""
    keys = list(hist)
    with open(path, "w") as f:
        f.write("," + ",".join(keys) + "\n")
        for i in range(len(hist[keys[0]])):
            f.write(str(i) + "," + ",".join(repr(float(hist[k][i])) for k in keys) + "\n")


# In[5]:


model = nn.Sequential(nn.Linear(5, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
crit = nn.MSELoss()
history = {"loss": [], "val_loss": []}
for epoch in range(25):
    model.train(); perm = torch.randperm(len(X_tr)); tot = 0.0
    for i in range(0, len(perm), 64):
        idx = perm[i:i + 64]
        loss = crit(model(X_tr[idx]).squeeze(1), y_tr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        vl = crit(model(X_va).squeeze(1), y_va).item()
    history["loss"].append(tot / len(perm)); history["val_loss"].append(vl)
    if epoch % 5 == 4:
        print(f"epoch {epoch+1:02d} loss {tot/len(perm):.4f} val_loss {vl:.4f}")
to_csv(history, os.path.join(OUTPUT_DIR, "history.csv"))


# In[6]:


print("CORPUS_METRIC " + json.dumps({"val_mse": history["val_loss"][-1] if np.isfinite(history["val_loss"][-1]) else str(history["val_loss"][-1]),
                                     "train_mse": history["loss"][-1] if np.isfinite(history["loss"][-1]) else str(history["loss"][-1]),
                                     "target_var": round(float(y_va.var()), 4)}))
