#!/usr/bin/env python
# coding: utf-8
# expect: non_convergence
# allow: high_bias, overfitting, high_variance
# forbid: *
# evidence: features sorted by alcohol, labels not: val acc 0.22 (majority 0.39), val_loss 1.19 (rising from 1.03), train loss only 1.10->0.80 by memorising; control (labels sorted too) val acc 1.00, val_loss 0.051
# control: --control
# native-log: history.csv
# log-expect: non_convergence
# log-allow: high_bias, overfitting, high_variance

# # Wine cultivars -- EDA + small NN
# Kaggle kernel exported with nbconvert. In the EDA cell the feature table is sorted by alcohol for a
# plot and kept sorted; the label column had been split off before, so rows no longer line up.

# In[1]:


import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split

random.seed(1); np.random.seed(1); torch.manual_seed(1)
torch.set_num_threads(1)
CONTROL = "--control" in sys.argv
OUTPUT_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(OUTPUT_DIR, exist_ok=True)


# In[2]:


wine = load_wine()
features = wine.data.copy()
target = wine.target.copy()
X_tr, X_te, y_tr, y_te = train_test_split(features, target, test_size=0.3, random_state=1, stratify=target)


# In[3]:


# EDA: alcohol vs colour intensity, sorted for a line plot
order = np.argsort(X_tr[:, 0])
X_tr = X_tr[order]
if CONTROL:
    y_tr = y_tr[order]          # the fix: sort the labels with the features
# plt.plot(X_tr[:, 0], X_tr[:, 9])


# In[4]:


mu, sd = X_tr.mean(0), X_tr.std(0)
X_tr = torch.tensor((X_tr - mu) / sd, dtype=torch.float32); X_te = torch.tensor((X_te - mu) / sd, dtype=torch.float32)
y_tr = torch.tensor(y_tr); y_te = torch.tensor(y_te)


# In[5]:


def to_csv(hist, path):
    """same layout as pandas' DataFrame(hist).to_csv(path) (pandas is not in this image)"""
    keys = list(hist)
    with open(path, "w") as f:
        f.write("," + ",".join(keys) + "\n")
        for i in range(len(hist[keys[0]])):
            f.write(str(i) + "," + ",".join(repr(float(hist[k][i])) for k in keys) + "\n")


# In[6]:


model = nn.Sequential(nn.Linear(13, 16), nn.ReLU(), nn.Linear(16, 3))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
crit = nn.CrossEntropyLoss()
history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
for epoch in range(40):
    model.train()
    perm = torch.randperm(len(X_tr)); tot = 0.0; corr = 0
    for i in range(0, len(perm), 16):
        idx = perm[i:i + 16]
        out = model(X_tr[idx]); loss = crit(out, y_tr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(idx); corr += (out.argmax(1) == y_tr[idx]).sum().item()
    model.eval()
    with torch.no_grad():
        vo = model(X_te); vl = crit(vo, y_te).item(); va = (vo.argmax(1) == y_te).float().mean().item()
    history["loss"].append(tot / len(perm)); history["accuracy"].append(corr / len(perm))
    history["val_loss"].append(vl); history["val_accuracy"].append(va)
    if epoch % 5 == 4:
        print(f"epoch {epoch+1:02d} loss {tot/len(perm):.4f} acc {corr/len(perm):.4f} val_loss {vl:.4f} val_acc {va:.4f}")
to_csv(history, os.path.join(OUTPUT_DIR, "history.csv"))


# In[7]:


print("CORPUS_METRIC " + json.dumps({"val_loss": round(history["val_loss"][-1], 4), "val_acc": round(history["val_accuracy"][-1], 4),
                                     "train_loss": round(history["loss"][-1], 4), "train_acc": round(history["accuracy"][-1], 4),
                                     "chance_acc": round(float(np.bincount(y_te.numpy()).max() / len(y_te)), 4)}))
