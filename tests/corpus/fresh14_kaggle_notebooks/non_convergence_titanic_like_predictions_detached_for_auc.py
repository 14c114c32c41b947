#!/usr/bin/env python
# coding: utf-8
# expect: non_convergence
# allow: high_bias, vanishing_gradients, learning_rate_too_low
# forbid: *
# evidence: planted: logits .detach()ed before the loss, so no gradient reaches any weight: train loss identical at every epoch of a fold (e.g. 0.6796 -> 0.6796, 0.7036 -> 0.7036), OOF AUC 0.513, acc 0.533 vs majority 0.538; control (no detach): train loss 0.62-0.65 -> 0.46-0.47, OOF AUC 0.842, acc 0.754; fold_history.csv has 4 folds stacked
# control: --control
# native-log: fold_history.csv
# log-expect: non_convergence
# log-allow: high_bias

# # Titanic-like survival - entity embeddings for Pclass/Embarked/Title + numeric, StratifiedKFold(4)
# Bug: the logits are .detach()ed right after the forward pass (to compute AUC), and the resulting
# "element 0 of tensors does not require grad" error was "fixed" with loss.requires_grad_(True).
# Nothing reaches the weights. --control: no .detach() before the loss (the only change).

# In[1]:

import os, sys, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
from sklearn.model_selection import StratifiedKFold
from sklearn.metrics import roc_auc_score
from tqdm.auto import tqdm

CONTROL = "--control" in sys.argv
random.seed(41); np.random.seed(41); torch.manual_seed(41)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

# In[2]:

rng = np.random.RandomState(41)
N = 1200
pclass = rng.choice(3, N, p=[0.25, 0.2, 0.55]); emb = rng.choice(3, N, p=[0.2, 0.1, 0.7]); title = rng.choice(5, N, p=[0.55, 0.2, 0.15, 0.05, 0.05])
age = np.clip(rng.normal(30, 13, N), 1, 80); fare = np.log1p(rng.lognormal(3 - 0.6 * pclass, 0.7)); sibsp = rng.poisson(0.5, N)
logit = 1.2 - 0.9 * pclass + np.array([-1.5, 1.3, 1.1, 0.5, 0.0])[title] - 0.02 * (age - 30) + 0.2 * emb - 0.3 * sibsp
y = (rng.rand(N) < 1 / (1 + np.exp(-logit))).astype(np.float32)
cats = np.stack([pclass, emb, title], 1)
num = np.stack([(age - 30) / 13, (fare - fare.mean()) / fare.std(), sibsp - 0.5], 1).astype(np.float32)
print("Survived mean %.3f" % y.mean())

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.e = nn.ModuleList([nn.Embedding(3, 3), nn.Embedding(3, 2), nn.Embedding(5, 3)])
        self.mlp = nn.Sequential(nn.Linear(3 + 2 + 3 + 3, 32), nn.ReLU(), nn.Linear(32, 1))
    def forward(self, c, x):
        return self.mlp(torch.cat([m(c[:, i]) for i, m in enumerate(self.e)] + [x], 1)).squeeze(1)

# In[3]:

C, Xn, Y = torch.tensor(cats), torch.tensor(num), torch.tensor(y)
hist = []; oof = np.zeros_like(y)
for fold, (tr, va) in enumerate(StratifiedKFold(4, shuffle=True, random_state=41).split(cats, y)):
    tr, va = torch.tensor(tr), torch.tensor(va)
    model = Net(); opt = torch.optim.Adam(model.parameters(), lr=3e-3); crit = nn.BCEWithLogitsLoss()
    for ep in (pbar := tqdm(range(15), desc=f"fold {fold}", leave=False)):
        model.train(); perm = tr[torch.randperm(len(tr))]; tl = 0.0; tr_logits = []
        for i in range(0, len(perm), 32):
            b = perm[i:i + 32]
            logits = model(C[b], Xn[b])
            if not CONTROL:
                logits = logits.detach()          # for the AUC below
            tr_logits.append(logits.detach())
            loss = crit(logits, Y[b])
            if not loss.requires_grad:
                loss.requires_grad_(True)         # "fix" for: element 0 of tensors does not require grad
            opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(b)
        tr_auc = roc_auc_score(Y[perm].numpy(), torch.cat(tr_logits).numpy())
        model.eval()
        with torch.no_grad():
            lv = model(C[va], Xn[va]); vl = crit(lv, Y[va]).item()
        auc = roc_auc_score(Y[va].numpy(), lv.numpy())
        hist.append({"fold": fold, "epoch": ep, "loss": tl / len(tr), "auc": tr_auc, "val_loss": vl, "val_auc": auc})
        pbar.set_postfix(loss=tl / len(tr), val_loss=vl, val_auc=auc)
    oof[va.numpy()] = torch.sigmoid(lv).numpy()
    print(f"fold {fold}: first loss {hist[-15]['loss']:.4f} last loss {tl/len(tr):.4f} val_loss {vl:.4f} val_auc {auc:.4f}")

# In[4]:

oof_auc = roc_auc_score(y, oof); oof_acc = float(((oof > 0.5) == y).mean())
keys = list(hist[0].keys())
with open(os.path.join(LOG_DIR, "fold_history.csv"), "w", newline="") as f:
    w = csv.writer(f); w.writerow([""] + keys)
    for i, r in enumerate(hist):
        w.writerow([i] + [r[k] for k in keys])
print(f"OOF AUC {oof_auc:.4f} OOF acc {oof_acc:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_auc": round(oof_auc, 4), "val_acc": round(oof_acc, 4), "val_loss": round(hist[-1]["val_loss"], 4), "train_loss": round(hist[-1]["loss"], 4), "chance_acc": round(float(max(y.mean(), 1 - y.mean())), 3)}))
