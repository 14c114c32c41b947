#!/usr/bin/env python
# coding: utf-8
# expect:
# allow:
# forbid: *
# evidence: 30:1 target (pos rate 0.032) handled with BCE pos_weight per fold; OOF AUC 0.994, PR-AUC 0.897, fraud recall 0.990, balanced acc 0.959, predicted positive rate 0.101 (not the majority class); oof_log.csv holds 3 folds stacked
# native-log: oof_log.csv
# log-expect:
# log-allow:

# # Credit card fraud (30:1) done properly - StratifiedKFold(3), BCE with pos_weight, AUC as the metric
# (accuracy is printed too but not used for model selection)

# In[1]:

import os, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
from sklearn.model_selection import StratifiedKFold
from sklearn.metrics import roc_auc_score, average_precision_score, recall_score, balanced_accuracy_score
from tqdm.auto import tqdm

random.seed(31); np.random.seed(31); torch.manual_seed(31)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

# In[2]:

rng = np.random.RandomState(31)
n_neg, n_pos = 3000, 100
Xn = rng.randn(n_neg, 12)
Xp = rng.randn(n_pos, 12) + np.r_[np.full(4, 1.6), np.full(2, -1.0), np.zeros(6)]
X = np.vstack([Xn, Xp]).astype(np.float32); y = np.r_[np.zeros(n_neg), np.ones(n_pos)].astype(np.float32)
print("Class\n0    %d\n1    %d\nName: count, dtype: int64" % (n_neg, n_pos))

# In[3]:

rows = []; oof = np.zeros_like(y)
for fold, (tr, va) in enumerate(StratifiedKFold(3, shuffle=True, random_state=31).split(X, y)):
    Xtr, ytr, Xva, yva = map(torch.tensor, (X[tr], y[tr], X[va], y[va]))
    pw = torch.tensor((ytr == 0).sum().item() / (ytr == 1).sum().item())
    model = nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(32, 1))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    crit = nn.BCEWithLogitsLoss(pos_weight=pw)
    for ep in (pbar := tqdm(range(20), desc=f"fold {fold}", leave=False)):
        model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0
        for i in range(0, len(perm), 128):
            b = perm[i:i + 128]
            loss = crit(model(Xtr[b]).squeeze(1), ytr[b])
            opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(b)
        model.eval()
        with torch.no_grad():
            lv = model(Xva).squeeze(1); vl = crit(lv, yva).item()
        auc = roc_auc_score(yva.numpy(), lv.numpy())
        rows.append({"fold": fold, "epoch": ep, "loss": tl / len(Xtr), "val_loss": vl, "val_auc": auc, "val_acc": ((lv > 0).float() == yva).float().mean().item()})
        pbar.set_postfix(loss=tl / len(Xtr), val_loss=vl, auc=auc)
    oof[va] = torch.sigmoid(lv).numpy()
    print(f"fold {fold}: AUC {auc:.4f}")

# In[4]:

pred = (oof > 0.5).astype(float)
auc = roc_auc_score(y, oof); ap = average_precision_score(y, oof); rec = recall_score(y, pred); bacc = balanced_accuracy_score(y, pred)
print(f"OOF AUC {auc:.4f}  PR-AUC {ap:.4f}  recall(fraud) {rec:.3f}  balanced acc {bacc:.3f}  predicted fraud rate {pred.mean():.4f}")
keys = list(rows[0].keys())
with open(os.path.join(LOG_DIR, "oof_log.csv"), "w", newline="") as f:
    w = csv.writer(f); w.writerow([""] + keys)
    for i, r in enumerate(rows):
        w.writerow([i] + [r[k] for k in keys])
print("CORPUS_METRIC " + json.dumps({"val_auc": round(auc, 4), "val_pr_auc": round(ap, 4), "val_recall_minority": round(rec, 4), "val_balanced_acc": round(bacc, 4), "pred_pos_rate": round(float(pred.mean()), 4), "pos_rate": round(float(y.mean()), 4)}))
