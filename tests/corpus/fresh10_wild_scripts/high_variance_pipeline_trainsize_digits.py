# Digits MLP behind an sklearn Pipeline (scaler + PCA whitening). A fixed 400-image hold-out is used
# for evaluation; from the rest the author wanted to drop 10% as a calibration split but typed
# train_size=0.1 instead of test_size=0.1, so the wide MLP trains on 139 images and memorises them.
# expect: high_variance
# allow: overfitting
# forbid: *
# evidence: train_size=0.1 typo -> 139 training images: train_err 0.000, val_err 0.100 on the fixed 400-image hold-out (val_loss 0.451); --control (test_size=0.1 -> 1257 images, same steps) train_err 0.000, val_err 0.025, so achievable error ~0.025 and variance (0.10) dominates with no avoidable bias
# control: --control
import sys, json
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1); torch.manual_seed(0)
X, y = load_digits(return_X_y=True)
X_rest, X_hold, y_rest, y_hold = train_test_split(X, y, test_size=400, random_state=0, stratify=y)
split_kw = {"test_size": 0.1} if "--control" in sys.argv else {"train_size": 0.1}
Xtr, X_cal, ytr, y_cal = train_test_split(X_rest, y_rest, random_state=0, stratify=y_rest, **split_kw)
pre = Pipeline([("scale", StandardScaler()), ("pca", PCA(n_components=40, whiten=True, random_state=0))])
Xtr, Xva = pre.fit_transform(Xtr), pre.transform(X_hold)
print("train rows:", len(Xtr), "hold-out rows:", len(Xva))
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(y_hold)
model = nn.Sequential(nn.Linear(40, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
crit = nn.CrossEntropyLoss()
EPOCH_STEPS = 400                                # fixed number of optimiser steps in both runs
step = 0
while step < EPOCH_STEPS:
    model.train(); perm = torch.randperm(len(Xtr))
    for i in range(0, len(perm), 32):
        b = perm[i:i + 32]
        loss = crit(model(Xtr[b]), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
        if step % 100 == 0:
            model.eval()
            with torch.no_grad():
                o = model(Xva); print(f"step {step}: loss {loss.item():.4f} val_loss {crit(o, yva).item():.4f} val_acc {(o.argmax(1) == yva).float().mean().item():.4f}")
            model.train()
        if step >= EPOCH_STEPS:
            break
model.eval()
with torch.no_grad():
    ot, ov = model(Xtr), model(Xva)
tr_err = 1 - (ot.argmax(1) == ytr).float().mean().item(); va_err = 1 - (ov.argmax(1) == yva).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(crit(ov, yva).item(), 4), "val_acc": round(1 - va_err, 4), "train_loss": round(crit(ot, ytr).item(), 4),
                                     "train_err": round(tr_err, 4), "val_err": round(va_err, 4), "n_train": len(Xtr), "chance_acc": 0.1}))
