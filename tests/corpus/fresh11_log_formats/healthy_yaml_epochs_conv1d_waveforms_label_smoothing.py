# expect:
# allow:
# forbid: *
# evidence: 3-layer Conv1d, AdamW 3e-3 with x0.3 steps, label smoothing 0.2, 12 epochs: val_acc 0.690 -> 0.980 (epoch 3) -> 1.000 from epoch 5 (chance 0.25), val CE 0.825 -> 0.207; smoothed train_loss 1.232 -> 0.621 and flat from epoch 6, just above its label-smoothing floor 0.588
# native-log: history.yaml
# log-expect:
# log-allow:
"""1-D CNN classifying noisy waveforms (sine / square / sawtooth / pulse train) with label smoothing 0.2.

The label-smoothed training loss cannot go below ~0.59 nats (its floor for 4 classes at 0.2
smoothing), so the train loss flattens well above zero while the validation accuracy is
near perfect -- a healthy run that only looks stuck.  History is a YAML list of epoch dicts
(yaml.safe_dump of [{epoch, train_loss, val_loss, val_acc, lr}, ...]); val_loss is plain CE.
AdamW with a step decay (x0.3 after epochs 7 and 10).
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
import yaml

torch.set_num_threads(1)
SEED = 8
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="yaml_wave_")
os.makedirs(LOG_DIR, exist_ok=True)

L = 64
rs = np.random.RandomState(1)


def make(n):
    t = np.arange(L)[None, :]
    freq = rs.uniform(1.5, 5.0, (n, 1)) / L
    phase = rs.uniform(0, 1, (n, 1))
    ph = (t * freq + phase) % 1.0
    lab = rs.randint(0, 4, n)
    waves = np.stack([np.sin(2 * np.pi * ph), np.sign(np.sin(2 * np.pi * ph)), 2 * ph - 1,
                      np.where(ph < 0.15, 1.5, -0.3)], 1)
    x = waves[np.arange(n), lab] * rs.uniform(0.8, 1.2, (n, 1)) + rs.normal(0, 0.3, (n, L))
    return torch.tensor(x[:, None, :], dtype=torch.float32), torch.tensor(lab)


Xtr, ytr = make(1200)
Xva, yva = make(400)

model = nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                      nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                      nn.Conv1d(32, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten(),
                      nn.Linear(32, 4))
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-2)
sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[7, 10], gamma=0.3)
EPOCHS, BS, SMOOTH = 12, 32, 0.2
history = []
for epoch in range(1, EPOCHS + 1):
    model.train()
    p = torch.randperm(len(Xtr))
    tot = 0.0
    for i in range(0, len(Xtr), BS):
        b = p[i:i + BS]
        loss = F.cross_entropy(model(Xtr[b]), ytr[b], label_smoothing=SMOOTH)
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(b)
    lr = opt.param_groups[0]["lr"]
    sched.step()
    model.eval()
    with torch.no_grad():
        out = model(Xva)
        vl = F.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    history.append({"epoch": epoch, "train_loss": round(tot / len(Xtr), 5), "val_loss": round(vl, 5),
                    "val_acc": round(va, 4), "lr": float(lr)})
    print(f"epoch {epoch:2d} train_loss {tot / len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f} lr {lr:.1e}")
    with open(os.path.join(LOG_DIR, "history.yaml"), "w") as f:
        yaml.safe_dump(history, f, sort_keys=False)

floor = -((1 - SMOOTH + SMOOTH / 4) * math.log(1 - SMOOTH + SMOOTH / 4) + 3 * (SMOOTH / 4) * math.log(SMOOTH / 4))
print(f"label-smoothing floor of the train loss: {floor:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / len(Xtr), 4),
                                      "train_loss_floor": round(floor, 4), "chance_acc": 0.25}))
