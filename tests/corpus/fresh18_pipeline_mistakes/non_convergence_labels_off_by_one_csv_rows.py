"""Digits exported to a CSV file and read back by hand. The feature parser skips the header
line (rows[1:]) but the label parser takes rows[:-1], so every label belongs to the previous
row (misaligned by one). The network cannot learn anything: loss stays near ln(10).
--control reads both from rows[1:]. CSV log $CORPUS_LOG_DIR/metrics.csv."""
# expect: non_convergence
# allow: high_bias, overfitting, high_variance
# forbid: *
# evidence: planted (labels read from rows[:-1], features from rows[1:]): val_acc 0.083 (chance 0.10), val_loss 2.33 -> 2.48 (ln10 = 2.30) while train_loss only creeps 2.32 -> 2.07 by memorising; control (aligned) val_acc 0.975, val_loss 0.10
# control: --control
# native-log: metrics.csv
# log-expect: non_convergence
# log-allow: high_bias, overfitting, high_variance
import os, sys, json, random, csv, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import Dataset, DataLoader
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
tmp = tempfile.mkdtemp()

d = load_digits()
path = os.path.join(tmp, "digits.csv")
with open(path, "w", newline="") as f:
    w = csv.writer(f); w.writerow([f"px{i}" for i in range(64)] + ["label"])
    perm = np.random.RandomState(1).permutation(len(d.target))   # export in shuffled order
    for xrow, lab in zip(d.data.astype(int)[perm], d.target[perm]): w.writerow(list(xrow) + [lab])

with open(path) as f:
    rows = list(csv.reader(f))
feats = np.array([[float(v) for v in r[:-1]] for r in rows[1:]], dtype=np.float32) / 16.0
label_rows = rows[1:] if CONTROL else rows[:-1]            # BUG: off by one row (and the header becomes a label row)
labels = np.array([int(r[-1]) if r[-1].isdigit() else 0 for r in label_rows])

X_tr, X_va, y_tr, y_va = train_test_split(feats, labels, test_size=0.2, random_state=0)

class CsvDigits(Dataset):
    def __init__(self, X, y): self.X, self.y = torch.tensor(X), torch.tensor(y)
    def __len__(self): return len(self.y)
    def __getitem__(self, i): return (self.X[i] - 0.3) / 0.4, self.y[i]

dl = DataLoader(CsvDigits(X_tr, y_tr), batch_size=64, shuffle=True)
va = CsvDigits(X_va, y_va); Xv = (va.X - 0.3) / 0.4; yv = va.y
model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
with open(os.path.join(log_dir, "metrics.csv"), "w", newline="") as f:
    w = csv.writer(f); w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
    for ep in range(15):
        model.train(); tot = c = n = 0
        for xb, yb in dl:
            opt.zero_grad(); out = model(xb); loss = F.cross_entropy(out, yb); loss.backward(); opt.step()
            tot += loss.item() * len(yb); c += (out.argmax(1) == yb).sum().item(); n += len(yb)
        model.eval()
        with torch.no_grad():
            out = model(Xv); vl = F.cross_entropy(out, yv).item(); acc = (out.argmax(1) == yv).float().mean().item()
        w.writerow([ep, round(tot / n, 5), round(c / n, 4), round(vl, 5), round(acc, 4)])
        print(f"epoch {ep} train_loss {tot/n:.4f} train_acc {c/n:.4f} val_loss {vl:.4f} val_acc {acc:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "train_loss": round(tot / n, 4), "train_acc": round(c / n, 4), "chance_acc": 0.1}))
