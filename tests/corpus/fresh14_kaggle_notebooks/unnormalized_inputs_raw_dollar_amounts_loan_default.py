#!/usr/bin/env python
# coding: utf-8
# expect: unnormalized_inputs
# allow: non_convergence, learning_rate_too_high, exploding_gradients, dead_units, high_bias
# forbid: *
# evidence: raw columns have means ~[68000, 18000, 5000, 45, 0.5] (income/loan in dollars, txn counts in thousands); planted: train BCE stays 10.9-16.3 and jumps around (fold val_loss 7.1-9.9), OOF logloss 2.35, AUC 0.884, acc 0.829; control (StandardScaler per fold): train loss 0.28-0.30, fold val_loss 0.32-0.35, OOF logloss 0.334, AUC 0.930, acc 0.848; fold_logs.csv holds 3 folds stacked
# control: --control
# native-log: fold_logs.csv
# log-expect:
# log-allow: non_convergence, learning_rate_too_high, high_bias

# %% [markdown]
# Loan default - raw numeric columns straight from train.csv (loan amount and income in dollars,
# transaction counts in the thousands, age in years) into an MLP, 3-fold StratifiedKFold.
# --control: StandardScaler fitted per fold (the only change)

# %%
import os, sys, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import roc_auc_score
from tqdm.auto import tqdm

CONTROL = "--control" in sys.argv
random.seed(1); np.random.seed(1); torch.manual_seed(1)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

# %%
rng = np.random.RandomState(1)
N = 1500
income = rng.lognormal(11, 0.5, N)                # dollars, ~60k
loan_amount = rng.lognormal(9.5, 0.8, N)          # dollars, ~13k
n_txn = rng.poisson(3000, N) + rng.randint(0, 4000, N)   # counts in the thousands
age = rng.uniform(20, 70, N)
utilization = rng.uniform(0, 1, N)
dti = loan_amount / income
logit = 4.0 * (dti - 0.25) / 0.2 + 2.0 * (utilization - 0.5) - 1.2 * (n_txn - 5000) / 1200 - 0.03 * (age - 45)
y = (rng.rand(N) < 1 / (1 + np.exp(-logit))).astype(np.float32)
X = np.stack([income, loan_amount, n_txn, age, utilization], 1).astype(np.float32)
print("col means", np.round(X.mean(0), 1), "col stds", np.round(X.std(0), 1), "default rate %.3f" % y.mean())

# %%
hist = []; oof = np.zeros(N, dtype=np.float32)
for fold, (tr, va) in enumerate(StratifiedKFold(3, shuffle=True, random_state=1).split(X, y)):
    Xtr, Xva = X[tr], X[va]
    if CONTROL:
        sc = StandardScaler().fit(Xtr); Xtr, Xva = sc.transform(Xtr), sc.transform(Xva)
    Xtr = torch.tensor(Xtr, dtype=torch.float32); Xva = torch.tensor(Xva, dtype=torch.float32)
    ytr, yva = torch.tensor(y[tr]), torch.tensor(y[va])
    model = nn.Sequential(nn.Linear(5, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for ep in (pbar := tqdm(range(30), desc=f"fold {fold}", leave=False)):
        model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0
        for i in range(0, len(perm), 64):
            b = perm[i:i + 64]
            loss = nn.functional.binary_cross_entropy_with_logits(model(Xtr[b]).squeeze(1), ytr[b])
            opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(b)
        model.eval()
        with torch.no_grad():
            lv = model(Xva).squeeze(1); vl = nn.functional.binary_cross_entropy_with_logits(lv, yva).item()
        auc = roc_auc_score(yva.numpy(), lv.numpy())
        hist.append({"fold": fold, "epoch": ep, "loss": tl / len(Xtr), "val_loss": vl, "val_auc": auc})
        pbar.set_postfix(loss=f"{tl/len(Xtr):.4f}", val_loss=f"{vl:.4f}", auc=f"{auc:.4f}")
    oof[va] = torch.sigmoid(lv).numpy()
    print(f"fold {fold}: train loss {tl/len(Xtr):.4f} val loss {vl:.4f} val AUC {auc:.4f}")

# %%
oof_auc = roc_auc_score(y, oof); oof_acc = float(((oof > 0.5) == y).mean())
oof_ll = float(-np.mean(y * np.log(np.clip(oof, 1e-7, 1)) + (1 - y) * np.log(np.clip(1 - oof, 1e-7, 1))))
keys = list(hist[0].keys())
with open(os.path.join(LOG_DIR, "fold_logs.csv"), "w", newline="") as f:
    w = csv.writer(f); w.writerow([""] + keys)
    for i, r in enumerate(hist):
        w.writerow([i] + [r[k] for k in keys])
print(f"OOF AUC {oof_auc:.4f} acc {oof_acc:.4f} logloss {oof_ll:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_auc": round(oof_auc, 4), "val_acc": round(oof_acc, 4), "val_loss": round(oof_ll, 4), "train_loss": round(hist[-1]["loss"], 4), "chance_acc": round(float(max(y.mean(), 1 - y.mean())), 3)}))
