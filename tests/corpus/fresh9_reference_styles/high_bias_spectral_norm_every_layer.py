# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: planted (spectral_norm on all 4 Linear layers, net is 1-Lipschitz) after 25 epochs train_loss 0.676, train_acc 0.515, val_acc 0.489; control (same net without spectral_norm) train_loss 0.264, train_acc 0.944, val_acc 0.953 (chance 0.5, 3% label flips)
# control: --control
"""Spectral normalisation borrowed from a GAN discriminator recipe and put on *every* Linear layer of a
plain classifier (torch.nn.utils.parametrizations.spectral_norm). Task: a 4x4 checkerboard in [-1, 1]^2
with a few label flips. Adam, cosine schedule."""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.parametrizations import spectral_norm

USE_SN = "--control" not in sys.argv


def checkerboard(n, g, flip=0.03):
    x = torch.rand(n, 2, generator=g) * 2 - 1
    cells = ((x + 1) * 2).floor().long()  # 4 cells per axis
    y = (cells[:, 0] + cells[:, 1]) % 2
    flip_mask = torch.rand(n, generator=g) < flip
    return x, torch.where(flip_mask, 1 - y, y)


def block(i, o):
    lin = nn.Linear(i, o)
    return spectral_norm(lin) if USE_SN else lin


class Classifier(nn.Module):
    def __init__(self, h=128):
        super().__init__()
        self.layers = nn.Sequential(block(2, h), nn.LeakyReLU(0.2), block(h, h), nn.LeakyReLU(0.2),
                                    block(h, h), nn.LeakyReLU(0.2), block(h, 2))

    def forward(self, x):
        return self.layers(x)


torch.manual_seed(0)
torch.set_num_threads(1)
g = torch.Generator().manual_seed(0)
xtr, ytr = checkerboard(4000, g)
xva, yva = checkerboard(2000, g)
model = Classifier()
epochs, bs = 25, 100
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs * (len(xtr) // bs))

for epoch in range(epochs):
    model.train()
    perm = torch.randperm(len(xtr))
    tot = 0.0
    for i in range(0, len(xtr), bs):
        b = perm[i:i + bs]
        loss = F.cross_entropy(model(xtr[b]), ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        tot += loss.item()
    if epoch % 4 == 0 or epoch == epochs - 1:
        model.eval()
        with torch.no_grad():
            out = model(xva)
            vl, va = F.cross_entropy(out, yva).item(), (out.argmax(1) == yva).float().mean().item()
        print(f"epoch {epoch:2d} train_loss {tot / (len(xtr) // bs):.4f} val_loss {vl:.4f} val_acc {va:.4f}")

model.eval()
with torch.no_grad():
    out = model(xtr)
    tl, ta = F.cross_entropy(out, ytr).item(), (out.argmax(1) == ytr).float().mean().item()
print(f"train_acc {ta:.4f}; label-flip rate 3% => best achievable acc ~0.97")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(ta, 4), "chance_acc": 0.5}))
