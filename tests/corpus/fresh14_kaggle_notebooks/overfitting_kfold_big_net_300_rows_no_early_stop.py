#!/usr/bin/env python
# coding: utf-8
# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: 300 rows, 40 features, 15% label noise, 256x256 MLP, 60 epochs/fold: val_loss bottoms at 0.50-0.53 by epoch 2-5, then climbs to 1.07-1.23 at epoch 60 while train loss -> 0.0004 (all 3 folds; history.csv holds 3 folds stacked); mean fold val_loss 1.15, OOF acc 0.760, AUC 0.835; control (early stopping patience 5 + restore best): mean fold val_loss 0.506, OOF acc 0.763, AUC 0.841
# control: --control
# native-log: history.csv
# log-expect: overfitting
# log-allow: high_variance

# # Tabular playground - big MLP, 3-fold CV, 60 epochs per fold, no early stopping
# (control: --control adds early stopping with patience 5 that restores the best weights)

# In[1]:

import os, sys, json, random, tempfile, csv, copy
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_classification
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import roc_auc_score
from tqdm.auto import tqdm

CONTROL = "--control" in sys.argv
SEED = 0
random.seed(SEED); np.random.seed(SEED); torch.manual_seed(SEED)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

# In[2]:

X, y = make_classification(n_samples=300, n_features=40, n_informative=6, n_redundant=4, flip_y=0.15,
                           class_sep=1.0, random_state=SEED)
X = X.astype(np.float32); y = y.astype(np.float32)
print("train.csv:", X.shape, "target mean", y.mean())

# In[3]:

EPOCHS, BS = 60, 32
hist = []; oof = np.zeros(len(y), dtype=np.float32); fold_loss = []
skf = StratifiedKFold(n_splits=3, shuffle=True, random_state=SEED)
for fold, (tr, va) in enumerate(skf.split(X, y)):
    sc = StandardScaler().fit(X[tr])
    Xtr = torch.tensor(sc.transform(X[tr]), dtype=torch.float32); ytr = torch.tensor(y[tr])
    Xva = torch.tensor(sc.transform(X[va]), dtype=torch.float32); yva = torch.tensor(y[va])
    model = nn.Sequential(nn.Linear(40, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 1))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    best, best_state, bad = 1e9, None, 0
    for ep in (pbar := tqdm(range(EPOCHS), desc=f"fold{fold}", leave=False)):
        model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0
        for i in range(0, len(perm), BS):
            b = perm[i:i + BS]
            loss = nn.functional.binary_cross_entropy_with_logits(model(Xtr[b]).squeeze(1), ytr[b])
            opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(b)
        model.eval()
        with torch.no_grad():
            lv = model(Xva).squeeze(1); vl = nn.functional.binary_cross_entropy_with_logits(lv, yva).item()
        acc = ((lv > 0).float() == yva).float().mean().item()
        hist.append({"fold": fold, "epoch": ep, "train_loss": tl / len(Xtr), "val_loss": vl, "val_acc": acc})
        pbar.set_postfix(loss=tl / len(Xtr), val_loss=vl)
        if CONTROL:
            if vl < best - 1e-4:
                best, best_state, bad = vl, copy.deepcopy(model.state_dict()), 0
            else:
                bad += 1
                if bad >= 5:
                    break
    if CONTROL:
        model.load_state_dict(best_state)
    with torch.no_grad():
        lv = model(Xva).squeeze(1)
        fold_loss.append(nn.functional.binary_cross_entropy_with_logits(lv, yva).item())
        oof[va] = torch.sigmoid(lv).numpy()
    best_ep = min((h for h in hist if h["fold"] == fold), key=lambda h: h["val_loss"])
    print(f"fold {fold}: epochs run {ep+1}, min val_loss {best_ep['val_loss']:.3f} @ep{best_ep['epoch']}, final val_loss {fold_loss[-1]:.3f}, final train_loss {tl/len(Xtr):.5f}")

# In[4]:

oof_acc = float(((oof > 0.5) == y).mean()); oof_auc = roc_auc_score(y, oof)
keys = list(hist[0].keys())
with open(os.path.join(LOG_DIR, "history.csv"), "w", newline="") as f:
    w = csv.writer(f); w.writerow([""] + keys)
    for i, r in enumerate(hist):
        w.writerow([i] + [r[k] for k in keys])
print(f"OOF acc {oof_acc:.4f} AUC {oof_auc:.4f} mean fold val_loss {np.mean(fold_loss):.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(float(np.mean(fold_loss)), 4), "val_acc": round(oof_acc, 4), "val_auc": round(oof_auc, 4), "train_loss": round(hist[-1]["train_loss"], 5), "chance_acc": 0.5}))
