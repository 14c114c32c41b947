# expect:
# allow:
# forbid: *
# evidence: noise-free Friedman #1 (8 features), MLP 128x2 SiLU, Adam 3e-3 cosine over 45 epochs: train MSE 0.343 -> 0.00059, val MSE 0.243 -> 0.0069 (epoch 10) -> 0.0021 (20) -> 0.0011 (45), val R^2 0.9988 (target variance 0.896); val stays within 2x of train and flattens only as the lr decays
# native-log: history.csv
# log-expect:
# log-allow:
"""Long fit of a SiLU MLP on noise-free Friedman #1 targets; history saved pandas-style.

Noise-free targets, so the train MSE keeps falling towards ~0 for the whole run while the
validation MSE flattens at a small value (R^2 > 0.99): nothing is wrong, there is just no noise
to fit.  Adam with a cosine lr decay over 45 epochs.  history.csv is what
`pd.DataFrame(history).to_csv("history.csv")` writes (unnamed index column, repr floats).
"""
import json
import math
import os
import random
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_friedman1

torch.set_num_threads(1)
SEED = 2
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="pandas_friedman_")
os.makedirs(LOG_DIR, exist_ok=True)

X, y = make_friedman1(n_samples=1500, n_features=8, noise=0.0, random_state=1)
X = (X - 0.5) / 0.29
y = (y - y.mean()) / y.std()
Xtr, ytr = torch.tensor(X[:1200], dtype=torch.float32), torch.tensor(y[:1200], dtype=torch.float32)
Xva, yva = torch.tensor(X[1200:], dtype=torch.float32), torch.tensor(y[1200:], dtype=torch.float32)

model = nn.Sequential(nn.Linear(8, 128), nn.SiLU(), nn.Linear(128, 128), nn.SiLU(), nn.Linear(128, 1))
EPOCHS, BS, LR = 45, 32, 3e-3
opt = torch.optim.Adam(model.parameters(), lr=LR)
history = []
for epoch in range(EPOCHS):
    lr = 1e-5 + 0.5 * (LR - 1e-5) * (1 + math.cos(math.pi * epoch / EPOCHS))
    for g in opt.param_groups:
        g["lr"] = lr
    model.train()
    p = torch.randperm(len(Xtr))
    tot = 0.0
    for i in range(0, len(Xtr), BS):
        b = p[i:i + BS]
        loss = F.mse_loss(model(Xtr[b]).squeeze(1), ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(b)
    model.eval()
    with torch.no_grad():
        vl = F.mse_loss(model(Xva).squeeze(1), yva).item()
    history.append({"loss": tot / len(Xtr), "val_loss": vl, "lr": lr})
    if epoch % 10 == 9 or epoch < 2:
        print(f"epoch {epoch + 1:2d} loss {tot / len(Xtr):.5f} val_loss {vl:.5f} lr {lr:.2e}")

with open(os.path.join(LOG_DIR, "history.csv"), "w") as f:
    f.write(",loss,val_loss,lr\n")
    for i, h in enumerate(history):
        f.write(f"{i},{h['loss']!r},{h['val_loss']!r},{h['lr']!r}\n")
r2 = 1 - vl / yva.var().item()
print(f"val R^2 {r2:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 5), "train_mse": round(tot / len(Xtr), 5),
                                      "target_var": round(yva.var().item(), 4), "val_r2": round(r2, 4)}))
