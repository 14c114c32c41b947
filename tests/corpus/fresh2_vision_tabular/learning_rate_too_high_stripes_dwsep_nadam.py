# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, dead_units, high_bias, non_finite, high_variance
# forbid: *
# evidence: control (NAdam lr=2e-3) val_acc 0.983, val_loss 0.185; planted (NAdam lr=1.0) val_acc 0.403, val_loss 1.12 (epoch-0 val_loss 290), train_acc 0.46 (chance 0.167)
# control: --control
"""Orientation of sinusoidal gratings (6 angles, random frequency/phase, pixel noise) on 16x16
crops, classified by a MobileNet-style stack of depthwise-separable conv blocks. Optimiser is
NAdam with ExponentialLR decay. The planted bug: lr=1.0 (someone copied an SGD lr into
the Adam-family optimiser). --control uses lr=2e-3, the only change."""
import json
import math
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(1)
rng = np.random.default_rng(1)

CONTROL = "--control" in sys.argv
LR = 2e-3 if CONTROL else 1.0
S = 16
N_CLS = 6


def gratings(n, rng):
    ys = rng.integers(0, N_CLS, size=n)
    theta = ys * math.pi / N_CLS + rng.normal(0, 0.05, size=n)
    freq = rng.uniform(0.25, 0.6, size=n)
    phase = rng.uniform(0, 2 * math.pi, size=n)
    yy, xx = np.mgrid[0:S, 0:S].astype(np.float32)
    proj = np.cos(theta)[:, None, None] * xx + np.sin(theta)[:, None, None] * yy
    img = np.sin(freq[:, None, None] * proj + phase[:, None, None])
    img = img * rng.uniform(0.4, 1.0, size=(n, 1, 1)) + rng.normal(0, 0.6, size=img.shape)
    return torch.tensor(img[:, None], dtype=torch.float32), torch.from_numpy(ys).long()


Xtr, Ytr = gratings(1600, rng)
Xva, Yva = gratings(600, rng)


class DWSep(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.dw = nn.Conv2d(cin, cin, 3, stride=stride, padding=1, groups=cin, bias=False)
        self.bn1 = nn.BatchNorm2d(cin)
        self.pw = nn.Conv2d(cin, cout, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)

    def forward(self, x):
        x = F.relu(self.bn1(self.dw(x)))
        return F.relu(self.bn2(self.pw(x)))


class TinyMobile(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.blocks = nn.Sequential(DWSep(16, 32), DWSep(32, 48, stride=2), DWSep(48, 64, stride=2))
        self.fc = nn.Linear(64, N_CLS)

    def forward(self, x):
        return self.fc(self.blocks(self.stem(x)).mean(dim=(2, 3)))


def train_one_epoch(model, opt, bs=50):
    model.train()
    perm = torch.randperm(len(Xtr))
    loss_sum, hits = 0.0, 0
    for i in range(0, len(perm), bs):
        idx = perm[i:i + bs]
        out = model(Xtr[idx])
        loss = F.cross_entropy(out, Ytr[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        loss_sum += loss.item() * len(idx)
        hits += (out.argmax(1) == Ytr[idx]).sum().item()
    return {"train_loss": loss_sum / len(perm), "train_acc": hits / len(perm)}


@torch.no_grad()
def validate(model):
    model.eval()
    out = model(Xva)
    return {"val_loss": F.cross_entropy(out, Yva).item(), "val_acc": (out.argmax(1) == Yva).float().mean().item()}


model = TinyMobile()
opt = torch.optim.NAdam(model.parameters(), lr=LR)
sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.85)
for ep in range(10):
    m = train_one_epoch(model, opt)
    m.update(validate(model))
    sched.step()
    print(f"ep {ep} lr={sched.get_last_lr()[0]:.2e} " + " ".join(f"{k}={v:.4f}" for k, v in m.items()))

print("CORPUS_METRIC " + json.dumps({k: round(v, 4) for k, v in m.items()} | {"chance_acc": round(1 / N_CLS, 4)}))
