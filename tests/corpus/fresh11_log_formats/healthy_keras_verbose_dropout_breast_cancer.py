# expect:
# allow:
# forbid: *
# evidence: MLP 30-64-64-1 with dropout 0.5 twice, Adam 1e-3, 40 epochs: val_loss 0.558 -> 0.155 (epoch 9) -> 0.039 (epoch 40, its minimum), val_accuracy 0.939 -> 0.982 (majority rate 0.632); the dropout-on running train loss 0.657 -> 0.042 stays at or above val_loss in most epochs
# native-log: keras_fit_output.txt
# log-expect:
# log-allow:
"""Plain PyTorch MLP with heavy dropout on breast cancer; prints a Keras-2 `fit(verbose=2)` transcript.

The user ported a Keras notebook to PyTorch and kept the familiar console output, teed to
keras_fit_output.txt: 'Epoch 3/40' then
'12/12 - 0s - loss: 0.4100 - accuracy: 0.8100 - val_loss: 0.5200 - val_accuracy: 0.7800 - 31ms/epoch - 2ms/step'.
As in Keras, loss/accuracy are running means over the epoch with dropout active, so the train loss
stays above the validation loss (dropout 0.5 on both hidden layers) -- a healthy look-alike.
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
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
SEED = 7
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="kerasverbose_healthy_")
os.makedirs(LOG_DIR, exist_ok=True)
OUT = open(os.path.join(LOG_DIR, "keras_fit_output.txt"), "w")


def echo(s):
    print(s)
    OUT.write(s + "\n")


X, y = load_breast_cancer(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.2, random_state=SEED, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0)
Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr, dtype=torch.float32), torch.tensor(yva, dtype=torch.float32)

model = nn.Sequential(nn.Linear(30, 64), nn.ReLU(), nn.Dropout(0.5),
                      nn.Linear(64, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
EPOCHS, BS = 40, 40
steps = (len(Xtr) + BS - 1) // BS
for epoch in range(1, EPOCHS + 1):
    t0 = time.time()
    model.train()
    perm = torch.randperm(len(Xtr))
    tot_l, tot_c, n = 0.0, 0.0, 0
    for i in range(steps):
        b = perm[i * BS:(i + 1) * BS]
        logit = model(Xtr[b]).squeeze(1)
        loss = F.binary_cross_entropy_with_logits(logit, ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot_l += loss.item() * len(b)
        tot_c += ((logit > 0).float() == ytr[b]).sum().item()
        n += len(b)
    model.eval()
    with torch.no_grad():
        vlog = model(Xva).squeeze(1)
        vl = F.binary_cross_entropy_with_logits(vlog, yva).item()
        va = ((vlog > 0).float() == yva).float().mean().item()
    dt = time.time() - t0
    echo(f"Epoch {epoch}/{EPOCHS}")
    echo(f"{steps}/{steps} - {dt:.0f}s - loss: {tot_l / n:.4f} - accuracy: {tot_c / n:.4f} - val_loss: {vl:.4f} "
         f"- val_accuracy: {va:.4f} - {dt * 1000:.0f}ms/epoch - {dt * 1000 / steps:.0f}ms/step")
OUT.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot_l / n, 4),
                                      "majority_rate": round(max(yva.mean().item(), 1 - yva.mean().item()), 4)}))
