#!/usr/bin/env python
# coding: utf-8
# expect:
# allow:
# forbid: *
# evidence: notebook-style MLP on load_digits, Adam 1e-3 for 12 epochs then a re-created Adam at 3e-4 for 8 more: val_acc 0.973 (chance 0.10), val_loss 0.108, train_loss 0.053
# native-log: notebook_metrics.csv
# log-expect:
# log-allow:

# In[1]:


import os, sys, json, random, tempfile
import numpy as np
import csv
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)


# In[2]:


digits = load_digits()
data = digits.data
print(data[:5, :10])  # df.head() -- pandas not in this env
print(np.bincount(digits.target))


# In[3]:


X = data.astype(np.float32) / 16.0
y = digits.target
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
mu = Xtr.mean()  # global centring; per-pixel std blows up on near-constant border pixels
sd = Xtr.std()
Xtr = (Xtr - mu) / sd; Xva = (Xva - mu) / sd
Xtr = torch.tensor(Xtr); Xva = torch.tensor(Xva); ytr = torch.tensor(ytr); yva = torch.tensor(yva)
Xtr.shape, Xva.shape


# In[4]:


model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
history = []
bs = 64


# In[5]:


def run_epoch(ep):
    model.train()
    perm = torch.randperm(len(Xtr))
    tot = 0.0
    for i in range(0, len(Xtr), bs):
        idx = perm[i:i+bs]
        out = model(Xtr[idx])
        loss = F.cross_entropy(out, ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        o = model(Xva)
        vl = F.cross_entropy(o, yva).item()
        va = (o.argmax(1) == yva).float().mean().item()
    history.append(dict(epoch=ep, train_loss=tot/len(Xtr), val_loss=vl, val_acc=va, lr=opt.param_groups[0]["lr"]))
    print(f"ep {ep} | tr {tot/len(Xtr):.3f} | va {vl:.3f} | acc {va*100:.1f}%")


# In[6]:


for ep in range(12):
    run_epoch(ep)


# In[7]:


# looks ok, lower lr and keep going (re-created the optimizer here)
opt = torch.optim.Adam(model.parameters(), lr=3e-4)
for ep in range(12, 20):
    run_epoch(ep)


# In[8]:


for h in history[-3:]:
    print(h)
with open(os.path.join(LOG_DIR, "notebook_metrics.csv"), "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(history[0].keys()))
    w.writeheader(); w.writerows(history)


# In[9]:


model.eval()
with torch.no_grad():
    o = model(Xva)
final = dict(val_loss=round(F.cross_entropy(o, yva).item(), 4), val_acc=round((o.argmax(1) == yva).float().mean().item(), 4),
             train_loss=round(history[-1]["train_loss"], 4), chance_acc=0.1)
print("CORPUS_METRIC " + json.dumps(final))
