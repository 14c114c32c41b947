"""Fraud-like tabular task, 20:1 imbalance, balanced by a WeightedRandomSampler
built from inverse class frequencies (the correct way round). Per-class recall printed.
Writes a CSV log (epoch, train_loss, val_loss, val_acc, val_bal_acc) to $CORPUS_LOG_DIR/metrics.csv."""
# expect:
# allow:
# forbid: *
# evidence: minority class is 1/21 of the rows; with the inverse-frequency WeightedRandomSampler val minority recall 0.82, majority recall 0.98, balanced acc 0.90 (chance 0.50), val_acc 0.975, val_loss 0.076 (train_loss 0.03)
# native-log: metrics.csv
# log-expect:
# log-allow:
import os, sys, json, csv, random, tempfile
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader, WeightedRandomSampler
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)

X, y = make_classification(n_samples=4200, n_features=12, n_informative=6, n_redundant=2,
                           weights=[20 / 21, 1 / 21], class_sep=1.2, flip_y=0.0, random_state=0)
X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
sc = StandardScaler().fit(X_tr)
X_tr, X_va = sc.transform(X_tr), sc.transform(X_va)
print("train class counts", np.bincount(y_tr))

Xt, yt = torch.tensor(X_tr, dtype=torch.float32), torch.tensor(y_tr)
Xv, yv = torch.tensor(X_va, dtype=torch.float32), torch.tensor(y_va)
counts = np.bincount(y_tr)
sample_w = (1.0 / counts)[y_tr]
sampler = WeightedRandomSampler(torch.tensor(sample_w, dtype=torch.double), num_samples=len(y_tr), replacement=True)
dl = DataLoader(TensorDataset(Xt, yt), batch_size=64, sampler=sampler)

model = nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
lossf = nn.CrossEntropyLoss()

def recalls(pred, y):
    return [float(((pred == c) & (y == c)).sum() / max(1, (y == c).sum())) for c in (0, 1)]

with open(os.path.join(log_dir, "metrics.csv"), "w", newline="") as f:
    w = csv.writer(f); w.writerow(["epoch", "train_loss", "val_loss", "val_acc", "val_bal_acc"])
    for ep in range(15):
        model.train(); tot = 0; n = 0
        for xb, yb in dl:
            opt.zero_grad(); loss = lossf(model(xb), yb); loss.backward(); opt.step()
            tot += loss.item() * len(yb); n += len(yb)
        model.eval()
        with torch.no_grad():
            out = model(Xv); vl = lossf(out, yv).item(); pred = out.argmax(1)
        acc = float((pred == yv).float().mean()); r = recalls(pred, yv); bal = sum(r) / 2
        w.writerow([ep, round(tot / n, 5), round(vl, 5), round(acc, 4), round(bal, 4)])
        print(f"epoch {ep} train_loss {tot/n:.4f} val_loss {vl:.4f} val_acc {acc:.4f} recall {r[0]:.3f}/{r[1]:.3f}")
print("per-class recall", [round(x, 3) for x in r])
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "val_bal_acc": round(bal, 4),
      "recall_majority": round(r[0], 4), "recall_minority": round(r[1], 4), "train_loss": round(tot / n, 4), "chance_bal_acc": 0.5}))
