# expect: non_finite
# allow: exploding_gradients, non_convergence
# forbid: *
# evidence: planted focal loss gamma=0.5 on digits MLP: healthy until epoch 13 (val_acc 0.977), then train/val loss NaN from epoch 14 of 24, final val_acc 0.096; control (1-p clamped to 1e-6) trains all 24 epochs: train_loss 0.004, val_loss 0.086, val_acc 0.977 (chance 0.10)
# control: --control
# native-log: run/epochs.jsonl
# log-expect: non_finite
# log-allow: non_convergence
"""Focal loss with a fractional gamma: d/dp (1-p)**0.5 is infinite at p == 1.0, which float32 softmax
reaches once the net is confident -> NaN gradients mid-run. --control clamps (1-p) away from 0."""
import argparse
import json
import math
import os
import tempfile

import numpy as np
import torch
from torch import nn
from sklearn.datasets import load_digits

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true")
parser.add_argument("--gamma", type=float, default=0.5)
cfg = parser.parse_args()

torch.set_num_threads(1)
torch.manual_seed(9)


def focal_loss(logits, target, gamma):
    p = logits.softmax(-1).gather(1, target[:, None]).squeeze(1)
    one_minus = 1 - p
    if cfg.control:
        one_minus = one_minus.clamp(min=1e-6)
    return (-(one_minus ** gamma) * torch.log(p.clamp(min=1e-12))).mean()


digits = load_digits()
X = torch.tensor(digits.images / 16.0, dtype=torch.float32).flatten(1)
Y = torch.tensor(digits.target)
g = torch.Generator().manual_seed(9)
perm = torch.randperm(len(X), generator=g)
tr, va = perm[:1400], perm[1400:]

model = nn.Sequential(nn.Linear(64, 200), nn.ReLU(), nn.Linear(200, 200), nn.ReLU(), nn.Linear(200, 10))
opt = torch.optim.Adam(model.parameters(), lr=4e-3)

logdir = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "run")
os.makedirs(logdir, exist_ok=True)
fh = open(os.path.join(logdir, "epochs.jsonl"), "w")
first_nan = None
for epoch in range(24):
    model.train()
    losses = []
    for bi in tr[torch.randperm(len(tr))].split(64):
        loss = focal_loss(model(X[bi]), Y[bi], cfg.gamma)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        out = model(X[va])
        vloss = nn.functional.cross_entropy(out, Y[va]).item()
        vacc = (out.argmax(1) == Y[va]).float().mean().item()
    tl = float(np.mean(losses))
    if first_nan is None and not math.isfinite(tl):
        first_nan = epoch
    rec = {"epoch": epoch, "train": {"loss": tl}, "valid": {"loss": vloss, "accuracy": vacc},
           "opt": {"lr": opt.param_groups[0]["lr"]}}
    fh.write(json.dumps(rec) + "\n")
    print(json.dumps(rec))
fh.close()
print("first non-finite epoch:", first_nan)
with torch.no_grad():
    ftl = nn.functional.cross_entropy(model(X[tr]), Y[tr]).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": vloss, "val_acc": round(vacc, 4), "train_loss": ftl,
                                     "chance_acc": 0.1}))
