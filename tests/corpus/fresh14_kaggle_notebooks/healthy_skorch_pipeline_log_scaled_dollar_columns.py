#!/usr/bin/env python
# coding: utf-8
# expect:
# allow:
# forbid: *
# evidence: look-alike for unnormalized_inputs: train.csv columns are raw dollars/counts (means 1349, 4597, 4021, 48.9, 0.50; stds 890, 5678, 873) but a ColumnTransformer (log1p + StandardScaler) in the Pipeline standardises them before the skorch net; train_loss 0.650 -> 0.419, holdout AUC 0.859, acc 0.755, logloss 0.465 vs the Bayes values from the true generating probabilities AUC 0.860, acc 0.768, logloss 0.460
# native-log: skorch_history.csv
# log-expect:
# log-allow:

# # Insurance claim (binary) - train.csv has raw dollar amounts and counts in the thousands (printed below),
# but they go through a ColumnTransformer (log1p + StandardScaler) inside an sklearn Pipeline before the
# skorch NeuralNetClassifier, so the network only sees standardised inputs. Holdout 25%.

# In[1]:

import os, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
from sklearn.pipeline import make_pipeline
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from sklearn.model_selection import train_test_split
from sklearn.metrics import roc_auc_score, accuracy_score
from skorch import NeuralNetClassifier

random.seed(47); np.random.seed(47); torch.manual_seed(47)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

# In[2]:

rng = np.random.RandomState(47)
N = 1600
premium = rng.lognormal(7, 0.6, N); claim_hist = rng.lognormal(8, 1.0, N); visits = rng.poisson(2500, N) + rng.randint(0, 3000, N)
age = rng.uniform(18, 80, N); risk = rng.uniform(0, 1, N)
logit = 1.5 * (np.log(claim_hist) - 8) - 1.0 * (np.log(premium) - 7) + 0.0008 * (visits - 4000) + 2.5 * (risk - 0.5) ** 2 * 4 - 1.0 + 0.02 * (age - 50)
y = (rng.rand(N) < 1 / (1 + np.exp(-logit))).astype(np.int64)
X = np.stack([premium, claim_hist, visits, age, risk], 1).astype(np.float32)
print("      premium  claim_hist  visits   age  risk")
print("mean  %7.0f  %10.0f  %6.0f  %4.1f  %4.2f" % tuple(X.mean(0)))
print("std   %7.0f  %10.0f  %6.0f  %4.1f  %4.2f" % tuple(X.std(0)))
X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.25, stratify=y, random_state=47)

# In[3]:

class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(5, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 2))
    def forward(self, X):
        return self.net(X)

pre = ColumnTransformer([("log", make_pipeline(FunctionTransformer(np.log1p), StandardScaler()), [0, 1, 2]),
                         ("std", StandardScaler(), [3, 4])])
net = NeuralNetClassifier(MLP, criterion=nn.CrossEntropyLoss, optimizer=torch.optim.Adam, lr=2e-3, max_epochs=25,
                          batch_size=64, train_split=None, verbose=0, iterator_train__shuffle=True)
pipe = make_pipeline(pre, FunctionTransformer(lambda a: a.astype(np.float32)), net)
pipe.fit(X_tr, y_tr)

# In[4]:

p = pipe.predict_proba(X_va)[:, 1]
auc = roc_auc_score(y_va, p); acc = accuracy_score(y_va, p > 0.5)
ll = float(-np.mean(y_va * np.log(np.clip(p, 1e-7, 1)) + (1 - y_va) * np.log(np.clip(1 - p, 1e-7, 1))))
hist = [{"epoch": h["epoch"], "train_loss": h["train_loss"], "dur": h["dur"]} for h in net.history]
keys = list(hist[0].keys())
with open(os.path.join(LOG_DIR, "skorch_history.csv"), "w", newline="") as f:
    w = csv.writer(f); w.writerow([""] + keys)
    for i, r in enumerate(hist):
        w.writerow([i] + [r[k] for k in keys])
print(f"train_loss {hist[0]['train_loss']:.4f} -> {hist[-1]['train_loss']:.4f} | holdout AUC {auc:.4f} acc {acc:.4f} logloss {ll:.4f} (positive rate {y.mean():.3f})")
print("CORPUS_METRIC " + json.dumps({"val_auc": round(auc, 4), "val_acc": round(acc, 4), "val_loss": round(ll, 4), "train_loss": round(hist[-1]["train_loss"], 4), "chance_acc": round(float(max(y.mean(), 1 - y.mean())), 3)}))
