#!/usr/bin/env python
# coding: utf-8
# expect: unnormalized_inputs
# allow: non_convergence, learning_rate_too_high, high_bias, exploding_gradients, dead_units, saturated_activations, class_imbalance
# forbid: *
# evidence: raw breast-cancer columns plus engineered area*concavity and perimeter^2 (feature std 0.002 .. 8766): first-epoch train loss 343727, then stuck at val acc 0.626 = majority rate (predicts one class); control (StandardScaler, only change) val acc 0.947, val_loss 0.108. class_imbalance allowed only because the stuck model predicts the majority class
# control: --control
# native-log: history.csv
# log-expect:
# log-allow: non_convergence, learning_rate_too_high, high_bias, class_imbalance

# # Breast Cancer Wisconsin -- feature engineering + NN
# Kaggle kernel exported with nbconvert. Raw measurements plus a few engineered columns
# (area * concavity, perimeter^2) go straight into the network.

# In[1]:


import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

random.seed(0); np.random.seed(0); torch.manual_seed(0)
torch.set_num_threads(1)
CONTROL = "--control" in sys.argv
OUTPUT_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(OUTPUT_DIR, exist_ok=True)


# In[2]:


data = load_breast_cancer()
cols = list(data.feature_names)
X = data.data.copy()
y = data.target.astype(np.float32)
# feature engineering
X = np.column_stack([X, X[:, cols.index("mean area")] * X[:, cols.index("mean concavity")],
                     X[:, cols.index("worst perimeter")] ** 2])
print(X.shape, "column means range:", X.mean(0).min(), X.mean(0).max())


# In[3]:


X_train, X_valid, y_train, y_valid = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
if CONTROL:
    sc = StandardScaler().fit(X_train)
    X_train, X_valid = sc.transform(X_train), sc.transform(X_valid)
X_train = torch.tensor(X_train, dtype=torch.float32); X_valid = torch.tensor(X_valid, dtype=torch.float32)
y_train = torch.tensor(y_train); y_valid = torch.tensor(y_valid)
print("feature std min/max:", X_train.std(0).min().item(), X_train.std(0).max().item())


# In[4]:


def to_csv(hist, path):
    """same layout as pandas' DataFrame(hist).to_csv(path) (pandas is not in this image)"""
    keys = list(hist)
    with open(path, "w") as f:
        f.write("," + ",".join(keys) + "\n")
        for i in range(len(hist[keys[0]])):
            f.write(str(i) + "," + ",".join(repr(float(hist[k][i])) for k in keys) + "\n")


# In[5]:


model = nn.Sequential(nn.Linear(X_train.shape[1], 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
crit = nn.BCEWithLogitsLoss()
history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
for epoch in range(30):
    model.train()
    perm = torch.randperm(len(X_train)); tot = 0.0; corr = 0
    for i in range(0, len(perm), 32):
        idx = perm[i:i + 32]
        out = model(X_train[idx]).squeeze(1)
        loss = crit(out, y_train[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(idx); corr += ((out > 0).float() == y_train[idx]).sum().item()
    model.eval()
    with torch.no_grad():
        vo = model(X_valid).squeeze(1)
        vl = crit(vo, y_valid).item(); va = ((vo > 0).float() == y_valid).float().mean().item()
    history["loss"].append(tot / len(perm)); history["accuracy"].append(corr / len(perm))
    history["val_loss"].append(vl); history["val_accuracy"].append(va)
    print(f"epoch {epoch+1:02d} loss {tot/len(perm):.4f} acc {corr/len(perm):.4f} val_loss {vl:.4f} val_acc {va:.4f}")
to_csv(history, os.path.join(OUTPUT_DIR, "history.csv"))


# In[6]:


print("CORPUS_METRIC " + json.dumps({"val_loss": round(history["val_loss"][-1], 4), "val_acc": round(history["val_accuracy"][-1], 4),
                                     "train_loss": round(history["loss"][-1], 4), "train_acc": round(history["accuracy"][-1], 4),
                                     "chance_acc": round(float(max(y_valid.mean(), 1 - y_valid.mean())), 4)}))
