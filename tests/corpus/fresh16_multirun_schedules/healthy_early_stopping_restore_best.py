# expect:
# allow:
# forbid: *
# evidence: best epoch 4 (val_loss 0.118); during the 6 patience epochs train_loss falls 0.051 -> 0.026 while val_loss drifts to 0.149, then the best weights are restored: val_acc 0.959, val_loss 0.118, train_acc 0.992 (majority class 0.627)
"""Breast-cancer MLP with dropout, AdamW, mini-batches; validation every epoch, early
stopping with patience 6 and restore-best-weights (Keras-style, written by hand). The
training loss keeps shrinking after the best epoch while val loss flattens; the reported
model is the restored best one."""
import os, sys, json, random, tempfile, copy
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
X, y = load_breast_cancer(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
sc = StandardScaler().fit(Xtr)
T = lambda a: torch.tensor(a, dtype=torch.float32)
Xtr, Xva = T(sc.transform(Xtr)), T(sc.transform(Xva))
ytr, yva = T(ytr), T(yva)

model = nn.Sequential(nn.Linear(30, 64), nn.ReLU(), nn.Dropout(0.3), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-2)
lossf = nn.BCEWithLogitsLoss()
def ev(Xs, ys):
    model.eval()
    with torch.no_grad():
        out = model(Xs).squeeze(1); return lossf(out, ys).item(), ((out > 0).float() == ys).float().mean().item()

best_vl, best_state, best_ep, bad, PATIENCE = float("inf"), None, -1, 0, 6
for ep in range(80):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 16):
        idx = perm[i:i + 16]
        loss = lossf(model(Xtr[idx]).squeeze(1), ytr[idx]); opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    vl, va = ev(Xva, yva)
    print(f"epoch {ep} train_loss {tot / len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.3f}")
    if vl < best_vl - 1e-4:
        best_vl, best_state, best_ep, bad = vl, copy.deepcopy(model.state_dict()), ep, 0
    else:
        bad += 1
        if bad >= PATIENCE:
            print(f"early stopping at epoch {ep}; restoring weights from epoch {best_ep} (val_loss {best_vl:.4f})")
            break
model.load_state_dict(best_state)
tl, ta = ev(Xtr, ytr); vl, va = ev(Xva, yva)
print(f"restored model: train_loss {tl:.4f} train_acc {ta:.3f} val_loss {vl:.4f} val_acc {va:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                     "train_loss": round(tl, 4), "chance_acc": 0.627, "best_epoch": best_ep}))
