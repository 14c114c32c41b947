# expect:
# allow:
# forbid: *
# evidence: sweep lr in {1e-3,3e-3,1e-2,3e-2} for 12 epochs (val_loss 0.294/0.059/0.042/0.069, all val_acc 0.971; 1e-3 is merely slower), best lr 1e-2 retrained on train+val for 20 epochs: test val_acc 1.00, val_loss 0.004 (chance 0.40). The case is about the whole process
import sys, json, random, copy
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
def seed_all(s):
    torch.manual_seed(s); np.random.seed(s); random.seed(s)
seed_all(0)

X, y = load_wine(return_X_y=True)
X_tmp, X_te, y_tmp, y_te = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
X_tr, X_va, y_tr, y_va = train_test_split(X_tmp, y_tmp, test_size=0.25, random_state=0, stratify=y_tmp)
sc = StandardScaler().fit(X_tr)
T = lambda a: torch.tensor(sc.transform(a), dtype=torch.float32)
X_tr, X_va, X_te = T(X_tr), T(X_va), T(X_te)
y_tr, y_va, y_te = map(torch.tensor, (y_tr, y_va, y_te))

def run(lr, epochs, Xa, ya, Xb, yb, verbose=False):
    seed_all(1)
    m = nn.Sequential(nn.Linear(13, 48), nn.ReLU(), nn.Linear(48, 3))
    o = torch.optim.Adam(m.parameters(), lr=lr)
    ce = nn.CrossEntropyLoss()
    for ep in range(epochs):
        p = torch.randperm(len(Xa)); tl = []
        for i in range(0, len(Xa), 16):
            b = p[i:i+16]
            l = ce(m(Xa[b]), ya[b]); o.zero_grad(); l.backward(); o.step(); tl.append(l.item())
        with torch.no_grad():
            out = m(Xb); vl = ce(out, yb).item(); acc = (out.argmax(1) == yb).float().mean().item()
        if verbose:
            print(f"  ep{ep:02d} tr {np.mean(tl):.4f} va {vl:.4f} acc {acc:.3f}")
    return m, float(np.mean(tl)), vl, acc

results = {}
for lr in [1e-3, 3e-3, 1e-2, 3e-2]:
    _, tl, vl, acc = run(lr, 12, X_tr, y_tr, X_va, y_va)
    results[lr] = vl
    print(f"lr={lr:<6} train={tl:.4f} val={vl:.4f} acc={acc:.3f}")
best_lr = min(results, key=results.get)
print("best lr:", best_lr)
# retrain on train+val with the best lr, report on the untouched test split
Xa = torch.cat([X_tr, X_va]); ya = torch.cat([y_tr, y_va])
m, tl, vl, acc = run(best_lr, 20, Xa, ya, X_te, y_te, verbose=True)
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": acc, "train_loss": tl, "best_lr": best_lr, "chance_acc": 0.40}))
