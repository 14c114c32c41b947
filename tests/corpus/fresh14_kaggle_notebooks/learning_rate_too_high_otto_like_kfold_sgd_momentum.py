#!/usr/bin/env python
# coding: utf-8
# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, non_finite, dead_units, high_bias
# forbid: *
# evidence: planted SGD(momentum 0.9, lr 0.3): in each fold train loss falls to ~0.5 by epoch 5-6 then climbs back and oscillates (fold 1: 0.52 at ep6 -> 1.74 at ep14), val_loss jumps 0.7 -> 2.4; OOF logloss 1.61, acc 0.616; control (lr 0.02): train loss 0.19-0.23, OOF logloss 0.546, acc 0.823 (chance 0.111); cv_history.csv holds 3 folds stacked with an lr column
# control: --control
# native-log: cv_history.csv
# log-expect: learning_rate_too_high
# log-allow: non_convergence, non_finite, high_bias, exploding_gradients

# # Otto-like product classification (9 classes), 3-fold StratifiedKFold, SGD momentum 0.9
# LR = 0.3 (someone copied the lr from a "linear model" notebook).  --control: LR = 0.02

# %%
import os, sys, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_classification
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import log_loss, accuracy_score
from tqdm.auto import tqdm

LR = 0.02 if "--control" in sys.argv else 0.3
random.seed(11); np.random.seed(11); torch.manual_seed(11)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

# %%
X, y = make_classification(n_samples=1800, n_features=30, n_informative=15, n_classes=9, n_clusters_per_class=1,
                           class_sep=1.5, random_state=11)
X = X.astype(np.float32)
print("train.csv", X.shape, "classes", np.bincount(y))

# %%
hist = []; oof = np.zeros((len(y), 9), dtype=np.float64)
for fold, (tr, va) in enumerate(StratifiedKFold(3, shuffle=True, random_state=11).split(X, y)):
    sc = StandardScaler().fit(X[tr])
    Xtr = torch.tensor(sc.transform(X[tr]), dtype=torch.float32); ytr = torch.tensor(y[tr])
    Xva = torch.tensor(sc.transform(X[va]), dtype=torch.float32); yva = torch.tensor(y[va])
    model = nn.Sequential(nn.Linear(30, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 9))
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9)
    for ep in (pbar := tqdm(range(15), desc=f"fold{fold}", leave=False)):
        model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0
        for i in range(0, len(perm), 64):
            b = perm[i:i + 64]
            loss = nn.functional.cross_entropy(model(Xtr[b]), ytr[b])
            opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(b)
        model.eval()
        with torch.no_grad():
            o = model(Xva); vl = nn.functional.cross_entropy(o, yva).item(); acc = (o.argmax(1) == yva).float().mean().item()
        hist.append({"fold": fold, "epoch": ep, "lr": LR, "loss": tl / len(Xtr), "val_loss": vl, "val_acc": acc})
        pbar.set_postfix(loss=tl / len(Xtr), val_loss=vl, acc=acc)
    oof[va] = torch.softmax(o, 1).double().numpy()
    print(f"fold {fold}: loss {tl/len(Xtr):.4f} val_loss {vl:.4f} val_acc {acc:.4f}")

# %%
oof = np.nan_to_num(oof, nan=1 / 9); oof = oof / oof.sum(1, keepdims=True)
oof_ll = log_loss(y, np.clip(oof, 1e-7, 1), labels=list(range(9))); oof_acc = accuracy_score(y, oof.argmax(1))
keys = list(hist[0].keys())
with open(os.path.join(LOG_DIR, "cv_history.csv"), "w", newline="") as f:
    w = csv.writer(f); w.writerow([""] + keys)
    for i, r in enumerate(hist):
        w.writerow([i] + [r[k] for k in keys])
print(f"OOF logloss {oof_ll:.4f}  OOF acc {oof_acc:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(float(oof_ll), 4), "val_acc": round(float(oof_acc), 4), "train_loss": round(hist[-1]["loss"], 4), "chance_acc": round(1 / 9, 4)}))
