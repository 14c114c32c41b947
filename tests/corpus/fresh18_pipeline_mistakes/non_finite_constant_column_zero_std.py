"""Sensor table with a 'firmware_version' column that is constant in this export. The
author standardises by hand, (x - mean) / std, with no epsilon: the constant column becomes
0/0 = NaN for every row, so every forward pass, loss and gradient is NaN from the first
batch. --control replaces a zero std by 1 (the only change). Text log $CORPUS_LOG_DIR/train.log."""
# expect: non_finite
# allow: non_convergence
# forbid: *
# evidence: planted: 2400/2400 train rows have a NaN input (0/0 on the constant column), train and val loss nan from epoch 1, val_acc 0.507 (= majority share); control (zero std -> 1) val_acc 0.92, val_loss 0.24; chance 0.50
# control: --control
# native-log: train.log
# log-expect: non_finite
# log-allow: non_convergence
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import Dataset, DataLoader
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)

Xs, y = make_classification(n_samples=3000, n_features=9, n_informative=5, random_state=4, class_sep=1.0)
Xs = Xs * np.array([1, 10, 100, 0.1, 5, 1, 2, 50, 3]) + 20
firmware = np.full((3000, 1), 3.0)                       # constant column in this export
X = np.hstack([Xs, firmware]).astype(np.float32)
X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.2, random_state=0)
mean, std = X_tr.mean(0), X_tr.std(0)
if CONTROL:
    std = np.where(std == 0, 1.0, std)
with np.errstate(invalid="ignore", divide="ignore"):
    X_tr = (X_tr - mean) / std; X_va = (X_va - mean) / std
print("train rows with a NaN input:", int(np.isnan(X_tr).any(1).sum()), "/", len(X_tr))

class Table(Dataset):
    def __init__(self, X, y): self.X = torch.tensor(X, dtype=torch.float32); self.y = torch.tensor(y)
    def __len__(self): return len(self.y)
    def __getitem__(self, i): return self.X[i], self.y[i]

dl = DataLoader(Table(X_tr, y_tr), batch_size=64, shuffle=True)
va = Table(X_va, y_va)
model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
log = open(os.path.join(log_dir, "train.log"), "w")
for ep in range(10):
    model.train(); tot = n = 0
    for xb, yb in dl:
        opt.zero_grad(); loss = F.cross_entropy(model(xb), yb); loss.backward(); opt.step()
        tot += loss.item() * len(yb); n += len(yb)
    model.eval()
    with torch.no_grad():
        out = model(va.X); vl = F.cross_entropy(out, va.y).item(); acc = (out.argmax(1) == va.y).float().mean().item()
    line = f"epoch {ep+1} | train_loss {tot/n:.4f} | val_loss {vl:.4f} | val_acc {acc:.4f}"
    print(line); log.write(line + "\n")
log.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": vl if np.isfinite(vl) else "nan", "val_acc": round(acc, 4),
      "train_loss": tot / n if np.isfinite(tot / n) else "nan", "chance_acc": 0.5, "majority_acc": round(float(max(np.mean(y_va), 1 - np.mean(y_va))), 4)}))
