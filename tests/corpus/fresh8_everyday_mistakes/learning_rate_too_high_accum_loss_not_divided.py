# expect: learning_rate_too_high
# allow: exploding_gradients, non_finite, non_convergence, dead_units, high_bias
# forbid: *
# evidence: planted (SGD lr 0.1 mom 0.9, 16 undivided micro-batches = effective lr 1.6) reaches val_acc 0.68 after epoch 0 then collapses: train_loss rises 1.25->1.36, final val_acc 0.268 (majority 0.331), val_loss 1.377; control (loss/16) val_acc 0.888, val_loss 0.303, train_loss 0.161
# control: --control
"""Gradient accumulation over 16 micro-batches with SGD, but the loss is never divided by 16:
the summed gradient makes the effective learning rate 16x the tuned one."""
import argparse
import json
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class Cfg:
    lr: float = 0.1
    momentum: float = 0.9
    micro_bs: int = 16
    accum: int = 16
    epochs: int = 12
    seed: int = 4


ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
cli = ap.parse_args()
cfg = Cfg()
torch.manual_seed(cfg.seed)
torch.set_num_threads(1)

gen = torch.Generator().manual_seed(40)
proj = torch.randn(16, 6, generator=gen) / 4
readout = torch.randn(6, 4, generator=gen)
feats = torch.randn(6000, 16, generator=gen)
labels = (torch.tanh(feats @ proj) @ readout).argmax(1)
train_x, train_y = feats[:5000], labels[:5000]
val_x, val_y = feats[5000:], labels[5000:]

model = nn.Sequential(nn.Linear(16, 96), nn.ReLU(), nn.Linear(96, 96), nn.ReLU(), nn.Linear(96, 4))
criterion = nn.CrossEntropyLoss()
opt = torch.optim.SGD(model.parameters(), lr=cfg.lr, momentum=cfg.momentum)

step = 0
for epoch in range(cfg.epochs):
    perm = torch.randperm(len(train_x))
    epoch_loss, n = 0.0, 0
    opt.zero_grad()
    for k, i in enumerate(range(0, len(perm), cfg.micro_bs)):
        idx = perm[i:i + cfg.micro_bs]
        loss = criterion(model(train_x[idx]), train_y[idx])
        if cli.control:
            (loss / cfg.accum).backward()
        else:
            loss.backward()              # BUG: forgot "/ cfg.accum"
        epoch_loss += loss.item(); n += 1
        if (k + 1) % cfg.accum == 0:
            opt.step(); opt.zero_grad(); step += 1
    with torch.no_grad():
        out = model(val_x)
        vloss = criterion(out, val_y).item()
        vacc = (out.argmax(1) == val_y).float().mean().item()
    print(f"epoch {epoch} opt_steps {step} train_loss {epoch_loss / n:.4f} val_loss {vloss:.4f} val_acc {vacc:.3f}")

with torch.no_grad():
    tloss = criterion(model(train_x), train_y).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4), "train_loss": round(tloss, 4),
                                      "chance_acc": round(val_y.bincount().max().item() / len(val_y), 3)}))
