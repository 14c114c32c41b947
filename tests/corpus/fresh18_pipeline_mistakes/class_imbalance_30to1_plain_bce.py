"""Synthetic 'machine failure' table: 30 normal rows per failure. Trained with plain
BCEWithLogitsLoss, no pos_weight, no sampler, threshold 0.5. Accuracy looks high (~0.97) but
the model predicts 'normal' almost always: minority recall near 0. --control adds
pos_weight = n_neg/n_pos (the only change). Per-class recall printed."""
# expect: class_imbalance
# allow: high_bias
# forbid: *
# evidence: planted (plain BCE, 30:1): minority recall 0.00, majority recall 1.00, predicted-positive fraction 0.0, val_acc 0.968 = majority share, balanced acc 0.50; control (pos_weight=30) minority recall 0.88, balanced acc 0.82
# control: --control
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
rng = np.random.RandomState(0)
n_neg, n_pos = 6000, 200
Xn = rng.randn(n_neg, 6)
Xp = rng.randn(n_pos, 6) + np.array([1.3, -1.0, 0.8, 0.0, 0.0, 0.0])
X = np.vstack([Xn, Xp]).astype(np.float32); y = np.r_[np.zeros(n_neg), np.ones(n_pos)].astype(np.float32)
X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
print("train label counts", np.bincount(y_tr.astype(int)))
dl = DataLoader(TensorDataset(torch.tensor(X_tr), torch.tensor(y_tr)), batch_size=128, shuffle=True)
Xv, yv = torch.tensor(X_va), torch.tensor(y_va)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 1))
pw = torch.tensor(float((y_tr == 0).sum() / (y_tr == 1).sum()))
lossf = nn.BCEWithLogitsLoss(pos_weight=pw) if CONTROL else nn.BCEWithLogitsLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for ep in range(10):
    model.train(); tot = n = 0
    for xb, yb in dl:
        opt.zero_grad(); loss = lossf(model(xb).squeeze(1), yb); loss.backward(); opt.step()
        tot += loss.item() * len(yb); n += len(yb)
    model.eval()
    with torch.no_grad():
        out = model(Xv).squeeze(1); vl = nn.functional.binary_cross_entropy_with_logits(out, yv).item(); pred = (out > 0).float()
    acc = (pred == yv).float().mean().item()
    r_min = ((pred == 1) & (yv == 1)).sum().item() / (yv == 1).sum().item(); r_maj = ((pred == 0) & (yv == 0)).sum().item() / (yv == 0).sum().item()
    print(f"epoch {ep} train_loss {tot/n:.4f} val_loss {vl:.4f} val_acc {acc:.4f} recall_majority {r_maj:.3f} recall_minority {r_min:.3f} pred_pos_frac {pred.mean().item():.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "train_loss": round(tot / n, 4), "recall_minority": round(r_min, 4),
      "recall_majority": round(r_maj, 4), "balanced_acc": round((r_min + r_maj) / 2, 4), "majority_share": round(float(1 - y_va.mean()), 4)}))
