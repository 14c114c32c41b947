# expect: high_bias
# allow: non_convergence, dead_units, learning_rate_too_low
# forbid: *
# evidence: planted (hidden=3, 2 layers) on 4 noisy spirals, 30 one-cycle epochs: train_loss plateaus at 0.47 (train acc 0.82), val_loss 0.48, val_acc 0.80; control (hidden=128): train_loss 0.0004, val_loss 0.0004, val_acc 1.00 (chance 0.25)
# control: --control
# native-log: fastai_fit.log
# log-expect: high_bias
# log-allow: non_convergence, learning_rate_too_low
"""A fastai-flavoured Learner clone on a 4-spiral 2-D dataset. The "model" is the default hidden size
someone left at 3 units: it cannot carve the spirals. --control uses hidden=128 (2 layers of that width)."""
import argparse
import json
import math
import os
import tempfile
import time

import torch
from torch import nn
import torch.nn.functional as F


def spirals(n_per, k=4, noise=0.15, gen=None):
    xs, ys = [], []
    for c in range(k):
        r = torch.linspace(0.2, 1.0, n_per)
        t = torch.linspace(0, 3.0, n_per) + 2 * math.pi * c / k + noise * torch.randn(n_per, generator=gen)
        xs.append(torch.stack([r * torch.cos(t), r * torch.sin(t)], 1))
        ys.append(torch.full((n_per,), c))
    return torch.cat(xs), torch.cat(ys)


class Learner:
    def __init__(self, model, train, valid, lr, bs=64):
        self.model, self.train, self.valid, self.bs = model, train, valid, bs
        self.opt = torch.optim.Adam(model.parameters(), lr=lr)
        self.lr, self.rows = lr, []

    def fit_one_cycle(self, n_epoch):
        n_b = math.ceil(len(self.train[0]) / self.bs)
        sched = torch.optim.lr_scheduler.OneCycleLR(self.opt, self.lr, total_steps=n_epoch * n_b)
        hdr = "epoch     train_loss  valid_loss  accuracy  time    "
        self.rows.append(hdr); print(hdr)
        for ep in range(n_epoch):
            t0 = time.time()
            self.model.train()
            ema, k = 0.0, 0
            for idx in torch.randperm(len(self.train[0])).split(self.bs):
                loss = F.cross_entropy(self.model(self.train[0][idx]), self.train[1][idx])
                self.opt.zero_grad(); loss.backward(); self.opt.step(); sched.step()
                k += 1; ema = 0.98 * ema + 0.02 * loss.item()
            self.model.eval()
            with torch.no_grad():
                out = self.model(self.valid[0])
                vl = F.cross_entropy(out, self.valid[1]).item()
                acc = (out.argmax(1) == self.valid[1]).float().mean().item()
            row = f"{ep:<10d}{ema / (1 - 0.98 ** k):<12.6f}{vl:<12.6f}{acc:<10.6f}00:{int(time.time() - t0):02d}     "
            self.rows.append(row); print(row)
        return vl, acc


p = argparse.ArgumentParser()
p.add_argument("--control", action="store_true")
hidden = 128 if p.parse_args().control else 3
torch.set_num_threads(1)
torch.manual_seed(91)
g = torch.Generator().manual_seed(91)
xtr, ytr = spirals(500, gen=g)
xva, yva = spirals(150, gen=g)
model = nn.Sequential(nn.Linear(2, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, 4))
learn = Learner(model, (xtr, ytr), (xva, yva), lr=1e-2)
vl, acc = learn.fit_one_cycle(30)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
with open(os.path.join(log_dir, "fastai_fit.log"), "w") as f:
    f.write("\n".join(learn.rows) + "\n")
with torch.no_grad():
    tl = F.cross_entropy(model(xtr), ytr).item()
    tacc = (model(xtr).argmax(1) == ytr).float().mean().item()
print(f"train acc {tacc:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "train_loss": round(tl, 4),
                                     "chance_acc": 0.25}))
