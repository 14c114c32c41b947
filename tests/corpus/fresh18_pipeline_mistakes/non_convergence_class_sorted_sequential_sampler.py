"""Digits whose training table was sorted by label 'to make per-class stats easy'; the
DataLoader then uses a SequentialSampler (shuffle=False), so every epoch sees all 0s, then
all 1s, ... then all 9s. Each batch is single-class; the model chases the current class and
ends each epoch predicting the last classes. --control uses shuffle=True. Text log
$CORPUS_LOG_DIR/train.log."""
# expect: non_convergence
# allow: learning_rate_too_high, high_bias
# forbid: *
# evidence: planted (class-sorted rows, shuffle=False): epoch train_loss 2.5-3.0 never below ln10 = 2.30, val_loss jumps 2.0-6.5, final val_acc 0.20 with 397/450 predictions in one class; control (shuffle=True) val_acc 0.971, val_loss 0.09; chance 0.10
# control: --control
# native-log: train.log
# log-expect: non_convergence
# log-allow: learning_rate_too_high, high_bias
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import TensorDataset, DataLoader
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)

X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.3) / 0.4
X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
order = np.argsort(y_tr, kind="stable")             # sort by class
X_tr, y_tr = X_tr[order], y_tr[order]
ds = TensorDataset(torch.tensor(X_tr, dtype=torch.float32), torch.tensor(y_tr))
dl = DataLoader(ds, batch_size=32, shuffle=CONTROL)  # BUG: shuffle=False on sorted data
Xv, yv = torch.tensor(X_va, dtype=torch.float32), torch.tensor(y_va)
model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
log = open(os.path.join(log_dir, "train.log"), "w")
for ep in range(12):
    model.train(); tot = n = 0
    for xb, yb in dl:
        opt.zero_grad(); loss = F.cross_entropy(model(xb), yb); loss.backward(); opt.step()
        tot += loss.item() * len(yb); n += len(yb)
    model.eval()
    with torch.no_grad():
        out = model(Xv); vl = F.cross_entropy(out, yv).item(); pred = out.argmax(1); acc = (pred == yv).float().mean().item()
    top = np.bincount(pred.numpy(), minlength=10)
    line = f"epoch={ep} loss={tot/n:.4f} val_loss={vl:.4f} val_acc={acc:.4f}"
    print(line, "pred_counts", top.tolist()); log.write(line + "\n")
log.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "train_loss": round(tot / n, 4), "chance_acc": 0.1}))
