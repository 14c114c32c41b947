# expect: high_variance
# allow: overfitting
# forbid: *
# evidence: planted (50 training images): training accuracy 1.000 from epoch 30 on (loss 0.036 at epoch 40) while val_accuracy plateaus at 0.77-0.79 (final 0.788) and val_loss bottoms at 0.686 (epoch 38), ending 0.698: train error 0 vs val error 0.21 (digits' Bayes error ~0.01). Control (all 1297 images): val_accuracy 0.978, val_loss 0.060, train/val gap 0.022
# control: --control
# native-log: fit_log.txt
# log-expect: high_variance
# log-allow: overfitting
"""A wide MLP on digits trained on a debugging subset that was never switched off.

`DEBUG_SUBSET = 50` was set while iterating on the model, so only 50 of the 1297 training
images are used.  The console output imitates Keras 3's `fit(verbose=2)` (metrics in alphabetical
order, 'ms/step' right after the time), teed into fit_log.txt:
  Epoch 3/40
  2/2 - 0s - 5ms/step - accuracy: 0.8100 - loss: 0.4100 - val_accuracy: 0.7800 - val_loss: 0.5200
--control trains on all 1297 images; model, optimiser, epochs and batch size are unchanged.
"""
import json
import os
import random
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

torch.set_num_threads(1)
SEED = 3
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="keras3_hv_")
os.makedirs(LOG_DIR, exist_ok=True)
OUT = open(os.path.join(LOG_DIR, "fit_log.txt"), "w")


def echo(s):
    print(s)
    OUT.write(s + "\n")


X, y = load_digits(return_X_y=True)
X = X / 16.0
perm = np.random.RandomState(0).permutation(len(X))
X, y = X[perm], y[perm]
Xtr, ytr = torch.tensor(X[:1297], dtype=torch.float32), torch.tensor(y[:1297])
Xva, yva = torch.tensor(X[1297:], dtype=torch.float32), torch.tensor(y[1297:])
DEBUG_SUBSET = None if CONTROL else 50
if DEBUG_SUBSET:
    Xtr, ytr = Xtr[:DEBUG_SUBSET], ytr[:DEBUG_SUBSET]
print(f"training on {len(Xtr)} images, validating on {len(Xva)}")

model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
EPOCHS, BS = 40, 32
steps = (len(Xtr) + BS - 1) // BS
for epoch in range(1, EPOCHS + 1):
    t0 = time.time()
    model.train()
    p = torch.randperm(len(Xtr))
    tl, tc, n = 0.0, 0, 0
    for i in range(steps):
        b = p[i * BS:(i + 1) * BS]
        out = model(Xtr[b])
        loss = F.cross_entropy(out, ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tl += loss.item() * len(b)
        tc += (out.argmax(1) == ytr[b]).sum().item()
        n += len(b)
    model.eval()
    with torch.no_grad():
        vo = model(Xva)
        vl = F.cross_entropy(vo, yva).item()
        va = (vo.argmax(1) == yva).float().mean().item()
        tr_acc_eval = (model(Xtr).argmax(1) == ytr).float().mean().item()
    dt = time.time() - t0
    echo(f"Epoch {epoch}/{EPOCHS}")
    echo(f"{steps}/{steps} - {dt:.0f}s - {dt * 1000 / steps:.0f}ms/step - accuracy: {tc / n:.4f} - loss: {tl / n:.4f} "
         f"- val_accuracy: {va:.4f} - val_loss: {vl:.4f}")
OUT.close()
print(f"final: train accuracy (eval mode) {tr_acc_eval:.4f}, val accuracy {va:.4f}, gap {tr_acc_eval - va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl / n, 4),
                                      "train_acc": round(tr_acc_eval, 4), "chance_acc": 0.1}))
