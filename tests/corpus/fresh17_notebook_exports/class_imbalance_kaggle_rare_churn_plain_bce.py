#!/usr/bin/env python
# coding: utf-8
# expect: class_imbalance
# allow: non_convergence, high_bias
# forbid: *
# evidence: 4% positives, plain BCE: val acc 0.96 = majority rate, churn recall 0.000, balanced acc 0.50, predicted positive rate 0.0; control (pos_weight=n_neg/n_pos, only change) recall 0.825, balanced acc 0.853
# control: --control
# native-log: history.csv
# log-expect:
# log-allow: class_imbalance, non_convergence, high_bias

# # Telco churn (synthetic stand-in) -- 4% positives, plain BCE, accuracy as the metric
# Kaggle kernel exported with nbconvert.

# In[1]:


import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.metrics import recall_score, balanced_accuracy_score, roc_auc_score

random.seed(0); np.random.seed(0); torch.manual_seed(0)
torch.set_num_threads(1)
CONTROL = "--control" in sys.argv
OUTPUT_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(OUTPUT_DIR, exist_ok=True)


# In[2]:


X, y = make_classification(n_samples=4000, n_features=12, n_informative=5, n_redundant=2,
                           weights=[0.96, 0.04], class_sep=0.8, flip_y=0.0, random_state=3)
print("churn rate:", y.mean())
X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
mu, sd = X_tr.mean(0), X_tr.std(0)
X_tr = torch.tensor((X_tr - mu) / sd, dtype=torch.float32); X_va = torch.tensor((X_va - mu) / sd, dtype=torch.float32)
y_tr = torch.tensor(y_tr, dtype=torch.float32); y_va_t = torch.tensor(y_va, dtype=torch.float32)


# In[3]:


def to_csv(hist, path):
    """same layout as pandas' DataFrame(hist).to_csv(path) (pandas is not in this image)"""
    keys = list(hist)
    with open(path, "w") as f:
        f.write("," + ",".join(keys) + "\n")
        for i in range(len(hist[keys[0]])):
            f.write(str(i) + "," + ",".join(repr(float(hist[k][i])) for k in keys) + "\n")


# In[4]:


model = nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(32, 1))
pos_weight = torch.tensor([(1 - y_tr.mean()) / y_tr.mean()]) if CONTROL else None
crit = nn.BCEWithLogitsLoss(pos_weight=pos_weight)
opt = torch.optim.SGD(model.parameters(), lr=0.05)
history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
for epoch in range(12):
    model.train(); perm = torch.randperm(len(X_tr)); tot = 0.0; corr = 0
    for i in range(0, len(perm), 64):
        idx = perm[i:i + 64]
        out = model(X_tr[idx]).squeeze(1); loss = crit(out, y_tr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(idx); corr += ((out > 0).float() == y_tr[idx]).sum().item()
    model.eval()
    with torch.no_grad():
        vo = model(X_va).squeeze(1); vl = crit(vo, y_va_t).item(); va = ((vo > 0).float() == y_va_t).float().mean().item()
    history["loss"].append(tot / len(perm)); history["accuracy"].append(corr / len(perm))
    history["val_loss"].append(vl); history["val_accuracy"].append(va)
    print(f"epoch {epoch+1:02d} loss {tot/len(perm):.4f} accuracy {corr/len(perm):.4f} val_loss {vl:.4f} val_accuracy {va:.4f}")
to_csv(history, os.path.join(OUTPUT_DIR, "history.csv"))


# In[5]:


pred = (vo > 0).int().numpy()
rec = recall_score(y_va, pred); bal = balanced_accuracy_score(y_va, pred)
print(f"val accuracy {va:.4f}  churn recall {rec:.3f}  balanced acc {bal:.3f}  predicted churn rate {pred.mean():.4f}  auc {roc_auc_score(y_va, vo.numpy()):.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "val_minority_recall": round(rec, 4),
                                     "val_balanced_acc": round(bal, 4), "pred_pos_rate": round(float(pred.mean()), 4),
                                     "train_loss": round(history["loss"][-1], 4), "majority_acc": round(1 - float(y_va.mean()), 4)}))
