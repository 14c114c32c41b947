#!/usr/bin/env python
# coding: utf-8
# expect:
# allow:
# forbid: *
# evidence: 5-fold StratifiedKFold, 128x128 MLP, early stopping (patience 6) restores the best weights: folds stop at epochs 9-21, train loss reaches 0.017-0.037 while val_loss stops improving (best 0.027-0.130); OOF AUC 0.996, acc 0.975, logloss 0.070 (chance acc 0.627); oof_history.csv holds all 5 folds stacked, including the post-best epochs
# native-log: oof_history.csv
# log-expect:
# log-allow:

# %% [markdown]
# Breast cancer - 5 fold StratifiedKFold MLP, early stopping (patience 6) restoring best weights, AUC per epoch

# %%
import os, json, random, tempfile, csv, copy
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import roc_auc_score, accuracy_score
from tqdm.auto import tqdm

SEED = 2024
random.seed(SEED); np.random.seed(SEED); torch.manual_seed(SEED)
torch.set_num_threads(1)
OUT = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(OUT, exist_ok=True)

def save_df(rows, path):
    try:
        import pandas as pd
        pd.DataFrame(rows).to_csv(path)
    except ImportError:
        keys = list(rows[0].keys())
        with open(path, "w", newline="") as f:
            w = csv.writer(f); w.writerow([""] + keys)
            for i, r in enumerate(rows):
                w.writerow([i] + [r[k] for k in keys])

# %%
data = load_breast_cancer()
X_all, y_all = data.data.astype(np.float32), data.target.astype(np.float32)
print("shape", X_all.shape, "positive rate %.3f" % y_all.mean())

# %%
def make_model():
    return nn.Sequential(nn.Linear(30, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 1))

MAX_EPOCHS, PATIENCE, BS = 60, 6, 32
skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
oof = np.zeros(len(y_all), dtype=np.float32)
hist = []
for fold, (tr, va) in enumerate(skf.split(X_all, y_all)):
    sc = StandardScaler().fit(X_all[tr])
    Xtr = torch.tensor(sc.transform(X_all[tr]), dtype=torch.float32); ytr = torch.tensor(y_all[tr])
    Xva = torch.tensor(sc.transform(X_all[va]), dtype=torch.float32); yva = torch.tensor(y_all[va])
    model = make_model(); opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    best, best_state, bad = 1e9, None, 0
    pbar = tqdm(range(MAX_EPOCHS), desc=f"Fold {fold+1}", leave=False)
    for ep in pbar:
        model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0
        for i in range(0, len(perm), BS):
            b = perm[i:i + BS]
            loss = nn.functional.binary_cross_entropy_with_logits(model(Xtr[b]).squeeze(1), ytr[b])
            opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(b)
        model.eval()
        with torch.no_grad():
            lv = model(Xva).squeeze(1); vl = nn.functional.binary_cross_entropy_with_logits(lv, yva).item()
        auc = roc_auc_score(yva.numpy(), lv.numpy())
        hist.append({"fold": fold, "epoch": ep, "loss": tl / len(Xtr), "val_loss": vl, "val_auc": auc})
        pbar.set_postfix(loss=tl / len(Xtr), val_loss=vl, auc=auc)
        if vl < best - 1e-4:
            best, best_state, bad = vl, copy.deepcopy(model.state_dict()), 0
        else:
            bad += 1
            if bad >= PATIENCE:
                break
    model.load_state_dict(best_state)   # restore best weights
    with torch.no_grad():
        oof[va] = torch.sigmoid(model(Xva).squeeze(1)).numpy()
    print(f"Fold {fold+1}: stopped at epoch {ep}, best val_loss {best:.4f}, last train loss {tl/len(Xtr):.5f}")

# %%
oof_auc = roc_auc_score(y_all, oof); oof_acc = accuracy_score(y_all, oof > 0.5)
oof_ll = float(-np.mean(y_all * np.log(np.clip(oof, 1e-7, 1)) + (1 - y_all) * np.log(np.clip(1 - oof, 1e-7, 1))))
print(f"OOF AUC {oof_auc:.4f}  OOF acc {oof_acc:.4f}  OOF logloss {oof_ll:.4f}")
save_df(hist, os.path.join(OUT, "oof_history.csv"))
print("CORPUS_METRIC " + json.dumps({"val_auc": round(oof_auc, 4), "val_acc": round(oof_acc, 4), "val_loss": round(oof_ll, 4), "train_loss": round(hist[-1]["loss"], 5), "chance_acc": round(float(max(y_all.mean(), 1 - y_all.mean())), 3)}))
