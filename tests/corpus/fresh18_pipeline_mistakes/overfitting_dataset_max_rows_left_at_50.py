"""Digits with a custom Dataset that has a `max_rows` argument used while debugging; the
training Dataset is still created with max_rows=50, so a wide MLP trains on 50 images for
many epochs while validation uses the full 360-image split. Train loss -> 0, val loss
bottoms out and climbs. --control uses max_rows=None. JSON-lines log in
$CORPUS_LOG_DIR/log.jsonl."""
# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (50 train rows): train_loss 0.009, train_acc 1.00, val_loss stalls ~0.57-0.62 from epoch 20 on, val_acc 0.85; control (all 1437 rows, same 40 epochs) val_loss 0.094, val_acc 0.975; chance 0.10
# control: --control
# native-log: log.jsonl
# log-expect: overfitting
# log-allow: high_variance
import os, sys, json, random, tempfile
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

X, y = load_digits(return_X_y=True)
X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)

class DigitRows(Dataset):
    def __init__(self, X, y, max_rows=None):
        if max_rows is not None:
            X, y = X[:max_rows], y[:max_rows]
        self.X = torch.tensor((X / 16.0 - 0.3) / 0.4, dtype=torch.float32); self.y = torch.tensor(y)
    def __len__(self): return len(self.y)
    def __getitem__(self, i): return self.X[i], self.y[i]

train_ds = DigitRows(X_tr, y_tr, max_rows=None if CONTROL else 50)   # BUG: debug limit left in
val_ds = DigitRows(X_va, y_va)
print("train rows", len(train_ds), "val rows", len(val_ds))
dl = DataLoader(train_ds, batch_size=32, shuffle=True)
model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
EPOCHS = 40
f = open(os.path.join(log_dir, "log.jsonl"), "w")
for ep in range(EPOCHS):
    model.train(); tot = c = n = 0
    for xb, yb in dl:
        opt.zero_grad(); out = model(xb); loss = F.cross_entropy(out, yb); loss.backward(); opt.step()
        tot += loss.item() * len(yb); c += (out.argmax(1) == yb).sum().item(); n += len(yb)
    model.eval()
    with torch.no_grad():
        o = model(val_ds.X); vl = F.cross_entropy(o, val_ds.y).item(); acc = (o.argmax(1) == val_ds.y).float().mean().item()
    rec = {"epoch": ep, "train_loss": round(tot / n, 6), "train_acc": round(c / n, 4), "val_loss": round(vl, 5), "val_acc": round(acc, 4)}
    f.write(json.dumps(rec) + "\n")
    print(rec)
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": rec["val_loss"], "val_acc": rec["val_acc"], "train_loss": rec["train_loss"], "train_acc": rec["train_acc"], "chance_acc": 0.1}))
