# expect:
# allow:
# forbid: *
# evidence: healthy: undivided accumulated loss is harmless under Adam (scale invariant); val_acc 0.884 (majority 0.331), val_loss 0.316, train_loss 0.193, same level as the SGD case's control (0.888)
"""Gradient accumulation over 16 micro-batches, loss never divided by 16 -- but the optimiser is Adam,
whose update is invariant to a constant gradient scale, so the forgotten division does no harm."""
import json
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class Cfg:
    lr: float = 2e-3
    micro_bs: int = 16
    accum: int = 16
    epochs: int = 15
    seed: int = 5


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
opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)

step = 0
for epoch in range(cfg.epochs):
    perm = torch.randperm(len(train_x))
    epoch_loss, n = 0.0, 0
    opt.zero_grad()
    for k, i in enumerate(range(0, len(perm), cfg.micro_bs)):
        idx = perm[i:i + cfg.micro_bs]
        loss = criterion(model(train_x[idx]), train_y[idx])
        loss.backward()              # forgot "/ cfg.accum"; Adam normalises the scale away
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
