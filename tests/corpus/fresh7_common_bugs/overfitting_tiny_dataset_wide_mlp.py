# expect: overfitting, high_variance
# allow:
# forbid: *
# evidence: control (6000 rows, same ~700 steps) val_acc 0.873 val_loss 0.355; planted (150 rows, 150 epochs) train_loss 1e-4 / train_acc 1.00 while val_loss climbs to 1.34 and val_acc 0.70 (chance 0.33)
# control: --control
# native-log: epochs.csv
# log-expect: overfitting
# log-allow: high_variance
"""Small clinical-style tabular task: predict 1 of 3 outcomes from 40 standardised features of
which only 6 matter. A wide 3-layer MLP (256 units) is trained with Adam(lr=1e-3) for 150 epochs,
no weight decay, no dropout, no early stopping. Writes epochs.csv (ep, trn_loss, trn_acc, val_loss, val_acc).

Planted mistake: only 150 labelled training rows for a 77k-parameter model with no
regularisation; train loss goes to ~0 while val loss climbs. `--control` trains the same
model/recipe on 6000 rows (the fix is more data), nothing else changes.
"""
import csv
import json
import os
import sys
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
N_TRAIN = 6000 if "--control" in sys.argv else 150
g = torch.Generator().manual_seed(17)
W = torch.randn(6, 3, generator=torch.Generator().manual_seed(5)) * 1.2


def make(n):
    x = torch.randn(n, 40, generator=g)
    logits = x[:, :6] @ W + 0.6 * torch.randn(n, 3, generator=g)
    return x, logits.argmax(1)


xtr, ytr = make(N_TRAIN)
xva, yva = make(1000)
model = nn.Sequential(nn.Linear(40, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 3))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
bs = 32
steps_per_epoch = max(1, N_TRAIN // bs)
epochs = 150 if N_TRAIN < 1000 else 5   # same number of optimizer steps (~700) either way

log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
f = open(os.path.join(log_dir, "epochs.csv"), "w", newline="")
wr = csv.writer(f)
wr.writerow(["ep", "trn_loss", "trn_acc", "val_loss", "val_acc"])


def ev(x, y):
    with torch.no_grad():
        o = model(x)
        return F.cross_entropy(o, y).item(), (o.argmax(1) == y).float().mean().item()


for ep in range(epochs):
    perm = torch.randperm(N_TRAIN)
    for i in range(0, N_TRAIN, bs):
        idx = perm[i:i + bs]
        opt.zero_grad()
        F.cross_entropy(model(xtr[idx]), ytr[idx]).backward()
        opt.step()
    tl, ta = ev(xtr, ytr)
    vl, va = ev(xva, yva)
    wr.writerow([ep + 1, f"{tl:.5f}", f"{ta:.4f}", f"{vl:.5f}", f"{va:.4f}"])
    if ep % 10 == 0 or ep == epochs - 1:
        print(f"ep {ep+1:3d} train_loss {tl:.4f} train_acc {ta:.3f} val_loss {vl:.4f} val_acc {va:.3f}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(ta, 4), "chance_acc": 0.3333}))
