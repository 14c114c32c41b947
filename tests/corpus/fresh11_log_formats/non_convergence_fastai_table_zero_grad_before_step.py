# expect: non_convergence
# allow: learning_rate_too_low, high_bias, vanishing_gradients
# forbid: *
# evidence: planted (backward; zero_grad; step): train_loss 2.327 in all 6 epochs, valid_loss 2.306 -> 2.321, accuracy 0.058-0.084 (chance 0.10), no weight moved at all (max change 0.0). Control (zero_grad; backward; step): valid_loss 2.103 -> 0.265, accuracy 0.964, train_loss 2.189 -> 0.475 (vanishing_gradients is allowed because every .grad is None when opt.step() runs)
# control: --control
# native-log: learner_output.txt
# log-expect: non_convergence
# log-allow: learning_rate_too_low, high_bias
"""A hand-written fastai-style training loop for a digits CNN with the optimizer calls out of order.

The loop does `loss.backward(); opt.zero_grad(); opt.step()` (zero_grad moved up during a refactor),
so every gradient is cleared (set to None) right before the step and the weights never move.
Output is fastai's console table (epoch / train_loss / valid_loss / accuracy / time, smoothed
train loss), saved to learner_output.txt.  --control puts zero_grad before backward again.
"""
import json
import math
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
SEED = 5
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="fastai_nc_")
os.makedirs(LOG_DIR, exist_ok=True)
OUT = open(os.path.join(LOG_DIR, "learner_output.txt"), "w")

X, y = load_digits(return_X_y=True)
X = (X.reshape(-1, 1, 8, 8) / 16.0 - 0.3) / 0.4
perm = np.random.RandomState(SEED).permutation(len(X))
n_val = int(0.2 * len(X))
Xva, yva = torch.tensor(X[perm[:n_val]], dtype=torch.float32), torch.tensor(y[perm[:n_val]])
Xtr, ytr = torch.tensor(X[perm[n_val:]], dtype=torch.float32), torch.tensor(y[perm[n_val:]])


def conv(i, o, s=1):
    return nn.Sequential(nn.Conv2d(i, o, 3, s, 1, bias=False), nn.BatchNorm2d(o), nn.ReLU())


model = nn.Sequential(conv(1, 16), conv(16, 32, 2), conv(32, 32), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10))
EPOCHS, BS, LR_MAX = 6, 64, 3e-3
opt = torch.optim.AdamW(model.parameters(), lr=LR_MAX / 25, betas=(0.95, 0.99), weight_decay=0.01)
steps_per_epoch = math.ceil(len(Xtr) / BS)
total = EPOCHS * steps_per_epoch


def one_cycle(pct):
    def cos(a, b, p):
        return b + (a - b) / 2 * (1 + math.cos(math.pi * p))
    if pct < 0.25:
        return cos(LR_MAX / 25, LR_MAX, pct / 0.25), cos(0.95, 0.85, pct / 0.25)
    p = (pct - 0.25) / 0.75
    return cos(LR_MAX, LR_MAX / 25 / 1e5, p), cos(0.85, 0.95, p)


names = ["epoch", "train_loss", "valid_loss", "accuracy", "time"]
widths = [max(len(n), 8) + 2 for n in names]


def row(vals):
    return "".join(v + " " * (w - len(v)) for v, w in zip(vals, widths)).rstrip()


print(row(names))
OUT.write(row(names) + "\n")
w0 = [p.detach().clone() for p in model.parameters()]
step, smooth, count = 0, 0.0, 0
for epoch in range(EPOCHS):
    t0 = time.time()
    model.train()
    p = torch.randperm(len(Xtr))
    for i in range(steps_per_epoch):
        b = p[i * BS:(i + 1) * BS]
        lr, mom = one_cycle(step / total)
        for g in opt.param_groups:
            g["lr"], g["betas"] = lr, (mom, 0.99)
        loss = F.cross_entropy(model(Xtr[b]), ytr[b])
        if CONTROL:
            opt.zero_grad()
            loss.backward()
            opt.step()
        else:
            loss.backward()
            opt.zero_grad()          # <- the bug: clears the gradients just computed
            opt.step()
        step += 1
        count += 1
        smooth = 0.98 * smooth + 0.02 * loss.item()
    train_loss = smooth / (1 - 0.98 ** count)
    model.eval()
    with torch.no_grad():
        out = model(Xva)
        vl = F.cross_entropy(out, yva).item()
        acc = (out.argmax(1) == yva).float().mean().item()
    el = int(time.time() - t0)
    line = row([str(epoch), f"{train_loss:.6f}", f"{vl:.6f}", f"{acc:.6f}", f"{el // 60:02d}:{el % 60:02d}"])
    print(line)
    OUT.write(line + "\n")
OUT.close()
moved = max((a - b).abs().max().item() for a, b in zip(model.parameters(), w0))
print(f"largest change of any weight since init: {moved:.3e}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "train_loss": round(train_loss, 4),
                                      "chance_acc": 0.1, "max_weight_change": moved}))
