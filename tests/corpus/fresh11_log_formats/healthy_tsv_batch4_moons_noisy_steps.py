# expect:
# allow:
# forbid: *
# evidence: batch 4, 1200 SGD steps with linear lr decay: per-step train_loss spans 0.001-1.44 (median 0.09, 95th percentile 0.64) to the very end, while val_loss (every 100 steps) falls 0.244 (step 400) -> 0.123 (800) -> 0.083 (1200) and val_acc reaches 0.973 (chance 0.5; moons noise 0.2); full-train loss at the end 0.085, equal to val
# native-log: train_steps.tsv
# log-expect:
# log-allow:
"""Two-moons MLP trained with batch size 4, every step written to a tab-separated log.

The per-step training loss of a 4-example batch is extremely noisy (it jumps between ~0 and >1
all the way through), while the held-out metrics, evaluated every 100 steps, improve steadily and
settle at the noise level of the data.  Rows: step, epoch, train_loss, val_loss, val_acc, lr, with
the validation cells empty on steps without evaluation.  SGD momentum 0.9 with a linear lr decay.
"""
import json
import os
import random
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_moons

torch.set_num_threads(1)
SEED = 6
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="tsv_moons_")
os.makedirs(LOG_DIR, exist_ok=True)

X, y = make_moons(n_samples=1400, noise=0.2, random_state=0)
X = (X - X.mean(0)) / X.std(0)
Xtr, ytr = torch.tensor(X[:800], dtype=torch.float32), torch.tensor(y[:800], dtype=torch.float32)
Xva, yva = torch.tensor(X[800:], dtype=torch.float32), torch.tensor(y[800:], dtype=torch.float32)

model = nn.Sequential(nn.Linear(2, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 1))
BASE_LR, EPOCHS, BS, EVAL_EVERY = 0.02, 6, 4, 100
opt = torch.optim.SGD(model.parameters(), lr=BASE_LR, momentum=0.9)
total = EPOCHS * (len(Xtr) // BS)
f = open(os.path.join(LOG_DIR, "train_steps.tsv"), "w")
f.write("step\tepoch\ttrain_loss\tval_loss\tval_acc\tlr\n")
step = 0
for epoch in range(EPOCHS):
    model.train()
    p = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), BS):
        b = p[i:i + BS]
        lr = BASE_LR * (1 - step / total) + 1e-4
        for g in opt.param_groups:
            g["lr"] = lr
        loss = F.binary_cross_entropy_with_logits(model(Xtr[b]).squeeze(1), ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        vl_s = va_s = ""
        if step % EVAL_EVERY == 0:
            model.eval()
            with torch.no_grad():
                o = model(Xva).squeeze(1)
                vl = F.binary_cross_entropy_with_logits(o, yva).item()
                va = ((o > 0).float() == yva).float().mean().item()
            model.train()
            vl_s, va_s = f"{vl:.5f}", f"{va:.4f}"
            if step % 400 == 0:
                print(f"step {step:5d} epoch {epoch} batch loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.4f} lr {lr:.4f}")
        f.write(f"{step}\t{epoch}\t{loss.item():.5f}\t{vl_s}\t{va_s}\t{lr:.6f}\n")
f.close()
model.eval()
with torch.no_grad():
    tl = F.binary_cross_entropy_with_logits(model(Xtr).squeeze(1), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                      "chance_acc": 0.5}))
