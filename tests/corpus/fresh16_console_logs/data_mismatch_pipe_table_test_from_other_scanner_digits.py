"""Digits CNN with a | table per epoch, then a final TEST line on images from a second "scanner".

Train/val come from scanner A; the held-out test set the team reports on was scanned on
scanner B, which writes the images with a one-pixel shift down-right and a washed-out, lower-contrast ink.
Val accuracy is high, the TEST line printed on its own at the end is far worse.
--control draws the test set from scanner A like train/val.
"""
# expect: data_mismatch
# allow:
# forbid: *
# evidence: planted val_acc 0.973 (train 0.994) but TEST (scanner B) acc 0.1725, test loss 4.48; control (test from scanner A) TEST acc 0.9675, test loss 0.126, same val 0.973
# control: --control
# native-log: console_table.txt
# log-expect: data_mismatch
# log-allow:
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="table_")
os.makedirs(LOG_DIR, exist_ok=True)
_log = open(os.path.join(LOG_DIR, "console_table.txt"), "w")


def echo(s=""):
    print(s); _log.write(s + "\n"); _log.flush()


X, y = load_digits(return_X_y=True)
X = X.reshape(-1, 8, 8)
Xa, Xte, ya, yte = train_test_split(X, y, test_size=400, random_state=0, stratify=y)
Xtr, Xva, ytr, yva = train_test_split(Xa, ya, test_size=300, random_state=0, stratify=ya)
if not CONTROL:  # scanner B: shifted one pixel right and down, washed-out ink
    Xte = np.roll(np.roll(Xte, 1, axis=2), 1, axis=1) * 0.6 + 3.0


def prep(a):
    return torch.tensor((a / 16.0 - 0.3) / 0.4, dtype=torch.float32).unsqueeze(1)


Xtr, Xva, Xte = prep(Xtr), prep(Xva), prep(Xte)
ytr, yva, yte = map(torch.tensor, (ytr, yva, yte))
model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                      nn.Flatten(), nn.Linear(32 * 16, 64), nn.ReLU(), nn.Linear(64, 10))
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
BS, EPOCHS = 32, 8
echo(f"data: train={len(Xtr)} (scanner A)  val={len(Xva)} (scanner A)  test={len(Xte)} (scanner {'A' if CONTROL else 'B'})")
echo("| epoch | loss   | acc    | val_loss | val_acc |")
echo("|-------|--------|--------|----------|---------|")
for ep in range(1, EPOCHS + 1):
    model.train(); perm = torch.randperm(len(Xtr)); tl = tc = 0
    for i in range(0, len(Xtr), BS):
        idx = perm[i:i + BS]
        o = model(Xtr[idx]); loss = F.cross_entropy(o, ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tl += loss.item() * len(idx); tc += (o.argmax(1) == ytr[idx]).sum().item()
    model.eval()
    with torch.no_grad():
        vo = model(Xva); vl = F.cross_entropy(vo, yva).item(); va = (vo.argmax(1) == yva).float().mean().item()
    echo(f"| {ep:5d} | {tl / len(Xtr):.4f} | {tc / len(Xtr):.4f} | {vl:8.4f} | {va:7.4f} |")
with torch.no_grad():
    to = model(Xte); tel = F.cross_entropy(to, yte).item(); tea = (to.argmax(1) == yte).float().mean().item()
echo("")
echo(f"TEST (held-out, scanner {'A' if CONTROL else 'B'}): test_loss={tel:.4f} test_acc={tea:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "test_loss": round(tel, 4),
                                     "test_acc": round(tea, 4), "train_loss": round(tl / len(Xtr), 4), "chance_acc": 0.1}))
