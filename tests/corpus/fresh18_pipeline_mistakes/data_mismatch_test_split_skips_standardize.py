"""Digits split train/val/test with train_test_split. Train and val go through
`preprocess()` (scale to [0,1] then standardise with train mean/std); the test split is
built later in a separate 'evaluation' block that only divides by 16 (the standardisation
step was forgotten there). Val looks great, test is much worse. --control sends the test
split through the same preprocess(). CSV log with val and test columns in
$CORPUS_LOG_DIR/metrics.csv."""
# expect: data_mismatch
# allow:
# forbid: *
# evidence: planted: val_acc 0.969 / val_loss 0.11 but test_acc 0.853 / test_loss 0.60 (test split skipped the standardisation); control (same preprocess) test_acc 0.972 / test_loss 0.12; chance 0.10
# control: --control
# native-log: metrics.csv
# log-expect: data_mismatch
# log-allow:
import os, sys, json, random, csv, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)

X, y = load_digits(return_X_y=True)
X_rest, X_te_raw, y_rest, y_te = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
X_tr_raw, X_va_raw, y_tr, y_va = train_test_split(X_rest, y_rest, test_size=0.2, stratify=y_rest, random_state=0)
MU = (X_tr_raw / 16.0).mean(0); SD = (X_tr_raw / 16.0).std(0) + 0.05

def preprocess(a):
    return torch.tensor(((a / 16.0) - MU) / SD, dtype=torch.float32)

Xt, Xv = preprocess(X_tr_raw), preprocess(X_va_raw)
# ---- evaluation block written later ----
Xte = preprocess(X_te_raw) if CONTROL else torch.tensor(X_te_raw / 16.0, dtype=torch.float32)   # BUG: no standardisation
yt, yv, yte = torch.tensor(y_tr), torch.tensor(y_va), torch.tensor(y_te)

model = nn.Sequential(nn.Linear(64, 96), nn.ReLU(), nn.Dropout(0.2), nn.Linear(96, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)

def ev(Xe, ye):
    with torch.no_grad():
        o = model(Xe); return F.cross_entropy(o, ye).item(), (o.argmax(1) == ye).float().mean().item()

with open(os.path.join(log_dir, "metrics.csv"), "w", newline="") as f:
    w = csv.writer(f); w.writerow(["epoch", "train_loss", "val_loss", "val_acc", "test_loss", "test_acc"])
    for ep in range(20):
        model.train(); perm = torch.randperm(len(yt)); tot = 0
        for i in range(0, len(yt), 32):
            b = perm[i:i + 32]
            opt.zero_grad(); loss = F.cross_entropy(model(Xt[b]), yt[b]); loss.backward(); opt.step(); tot += loss.item() * len(b)
        model.eval(); vl, va = ev(Xv, yv); tl, ta = ev(Xte, yte)
        w.writerow([ep, round(tot / len(yt), 5), round(vl, 5), round(va, 4), round(tl, 5), round(ta, 4)])
        print(f"epoch {ep} train_loss {tot/len(yt):.4f} val_loss {vl:.4f} val_acc {va:.4f} test_loss {tl:.4f} test_acc {ta:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "test_loss": round(tl, 4), "test_acc": round(ta, 4),
      "train_loss": round(tot / len(yt), 4), "chance_acc": 0.1}))
