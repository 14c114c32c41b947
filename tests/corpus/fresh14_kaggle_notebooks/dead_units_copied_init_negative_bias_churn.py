#!/usr/bin/env python
# coding: utf-8
# expect: dead_units
# allow: non_convergence, high_bias, vanishing_gradients, class_imbalance
# forbid: *
# evidence: probe: planted (bias=-4 on every Linear) leaves 100% of layer-2 ReLUs never firing on any train/val row (layer-1 23-30%) in all 3 folds; output is constant: OOF AUC 0.499, acc 0.599 = majority rate 0.599, val_loss 1.50; control (default init) OOF AUC 0.970, acc 0.916, val_loss 0.21, dead 0% / 3-5%; fold_logs hold 3 folds stacked in train_history.csv
# control: --control
# native-log: train_history.csv
# log-expect:
# log-allow: non_convergence, high_bias, class_imbalance

# # Customer churn - MLP with an init_weights() cell copied from another kernel (bias = -4.0 on every Linear)
# --control: keep PyTorch's default init (init_weights not applied)

# In[1]:

import os, sys, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_classification
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import roc_auc_score
from tqdm.auto import tqdm

CONTROL = "--control" in sys.argv
random.seed(8); np.random.seed(8); torch.manual_seed(8)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

# In[2]:

X, y = make_classification(n_samples=1500, n_features=20, n_informative=10, weights=[0.6, 0.4], class_sep=1.0, random_state=8)
X = X.astype(np.float32); y = y.astype(np.float32)

# In[3]:

def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
        nn.init.constant_(m.bias, -4.0)

class ChurnNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = nn.Linear(20, 128); self.l2 = nn.Linear(128, 64); self.out = nn.Linear(64, 1)
    def forward(self, x, return_h=False):
        h1 = torch.relu(self.l1(x)); h2 = torch.relu(self.l2(h1))
        o = self.out(h2).squeeze(1)
        return (o, h1, h2) if return_h else o

# In[4]:

hist = []; oof = np.zeros_like(y); dead = []
for fold, (tr, va) in enumerate(StratifiedKFold(3, shuffle=True, random_state=8).split(X, y)):
    sc = StandardScaler().fit(X[tr])
    Xtr = torch.tensor(sc.transform(X[tr]), dtype=torch.float32); Xva = torch.tensor(sc.transform(X[va]), dtype=torch.float32)
    ytr, yva = torch.tensor(y[tr]), torch.tensor(y[va])
    model = ChurnNet()
    if not CONTROL:
        model.apply(init_weights)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for ep in (pbar := tqdm(range(20), desc=f"fold {fold}", leave=False)):
        model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0
        for i in range(0, len(perm), 64):
            b = perm[i:i + 64]
            loss = nn.functional.binary_cross_entropy_with_logits(model(Xtr[b]), ytr[b])
            opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(b)
        model.eval()
        with torch.no_grad():
            lv = model(Xva); vl = nn.functional.binary_cross_entropy_with_logits(lv, yva).item()
        auc = roc_auc_score(yva.numpy(), lv.numpy()) if lv.std() > 0 else 0.5
        hist.append({"fold": fold, "epoch": ep, "loss": tl / len(Xtr), "val_loss": vl, "val_auc": auc, "val_acc": ((lv > 0).float() == yva).float().mean().item()})
        pbar.set_postfix(loss=tl / len(Xtr), val_loss=vl, auc=auc)
    with torch.no_grad():
        lv, h1, h2 = model(torch.cat([Xtr, Xva]), return_h=True)
        d1 = (h1.max(0).values <= 0).float().mean().item(); d2 = (h2.max(0).values <= 0).float().mean().item()
        dead.append((d1, d2)); oof[va] = torch.sigmoid(model(Xva)).numpy()
    print(f"fold {fold}: val_loss {vl:.4f} val_auc {auc:.4f} | never-firing units layer1 {d1:.2%} layer2 {d2:.2%}")

# In[5]:

oof_auc = roc_auc_score(y, oof); oof_acc = float(((oof > 0.5) == y).mean())
keys = list(hist[0].keys())
with open(os.path.join(LOG_DIR, "train_history.csv"), "w", newline="") as f:
    w = csv.writer(f); w.writerow([""] + keys)
    for i, r in enumerate(hist):
        w.writerow([i] + [r[k] for k in keys])
print(f"OOF AUC {oof_auc:.4f} acc {oof_acc:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_auc": round(oof_auc, 4), "val_acc": round(oof_acc, 4), "val_loss": round(hist[-1]["val_loss"], 4), "train_loss": round(hist[-1]["loss"], 4), "dead_frac_l1": round(float(np.mean([d[0] for d in dead])), 3), "dead_frac_l2": round(float(np.mean([d[1] for d in dead])), 3), "chance_acc": round(float(max(y.mean(), 1 - y.mean())), 3)}))
