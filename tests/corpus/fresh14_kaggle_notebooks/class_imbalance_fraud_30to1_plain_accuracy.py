#!/usr/bin/env python
# coding: utf-8
# expect: class_imbalance
# allow: high_bias
# forbid: *
# evidence: 30:1 (fraud rate 0.032); planted (plain BCE) predicts no fraud at all: val accuracy 0.968 = majority baseline 0.968, fraud recall 0.000, F1 0.000, balanced acc 0.500 (AUC 0.767); control (pos_weight=30): recall 0.633, F1 0.185, balanced acc 0.730, AUC 0.845, accuracy 0.820; the log has val_accuracy flat at 0.9677 and val_pred_pos_rate 0.0
# control: --control
# native-log: training_log.csv
# log-expect:
# log-allow: class_imbalance

# # Credit card fraud - MLP with plain BCE, "accuracy" as the metric (30:1 legit:fraud)
# --control: the same data with BCE pos_weight = n_neg/n_pos (the only change)

# In[1]:

import os, sys, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
from sklearn.model_selection import train_test_split
from sklearn.metrics import roc_auc_score, f1_score, recall_score, balanced_accuracy_score
from tqdm.auto import tqdm

CONTROL = "--control" in sys.argv
random.seed(3); np.random.seed(3); torch.manual_seed(3)
torch.set_num_threads(1)
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOGDIR, exist_ok=True)

# In[2]:

rng = np.random.RandomState(3)
n_neg, n_pos = 3000, 100
Xn = rng.randn(n_neg, 12)
Xp = rng.randn(n_pos, 12) + np.r_[np.full(4, 0.9), np.zeros(8)]
X = np.vstack([Xn, Xp]).astype(np.float32); y = np.r_[np.zeros(n_neg), np.ones(n_pos)].astype(np.float32)
X_train, X_valid, y_train, y_valid = train_test_split(X, y, test_size=0.3, stratify=y, random_state=3)
print("fraud rate train %.4f valid %.4f" % (y_train.mean(), y_valid.mean()))
Xtr, ytr, Xva, yva = map(torch.tensor, (X_train, y_train, X_valid, y_valid))

# In[3]:

model = nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(32, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
pos_weight = torch.tensor((1 - y_train.mean()) / y_train.mean()) if CONTROL else None
crit = nn.BCEWithLogitsLoss(pos_weight=pos_weight)
rows = []
for epoch in (pbar := tqdm(range(20))):
    model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0
    for i in range(0, len(perm), 128):
        b = perm[i:i + 128]
        loss = crit(model(Xtr[b]).squeeze(1), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(b)
    model.eval()
    with torch.no_grad():
        lv = model(Xva).squeeze(1); vl = crit(lv, yva).item()
    pred = (lv > 0).float()
    acc = (pred == yva).float().mean().item()
    rows.append({"epoch": epoch, "loss": tl / len(Xtr), "val_loss": vl, "val_accuracy": acc, "val_pred_pos_rate": pred.mean().item()})
    pbar.set_postfix(loss=tl / len(Xtr), val_loss=vl, val_acc=acc)

# In[4]:

p = pred.numpy()
rec = recall_score(y_valid, p, zero_division=0); f1 = f1_score(y_valid, p, zero_division=0)
bacc = balanced_accuracy_score(y_valid, p); auc = roc_auc_score(y_valid, lv.numpy())
print(f"val accuracy {acc:.4f} (majority baseline {1-y_valid.mean():.4f}) | fraud recall {rec:.3f} F1 {f1:.3f} balanced acc {bacc:.3f} AUC {auc:.3f} | predicted fraud rate {p.mean():.4f}")
keys = list(rows[0].keys())
with open(os.path.join(LOGDIR, "training_log.csv"), "w", newline="") as f:
    w = csv.writer(f); w.writerow([""] + keys)
    for i, r in enumerate(rows):
        w.writerow([i] + [r[k] for k in keys])
print("CORPUS_METRIC " + json.dumps({"val_acc": round(acc, 4), "majority_acc": round(float(1 - y_valid.mean()), 4), "val_recall_minority": round(rec, 4), "val_f1": round(f1, 4), "val_balanced_acc": round(bacc, 4), "val_auc": round(auc, 4), "pred_pos_rate": round(float(p.mean()), 4)}))
