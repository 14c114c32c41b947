"""OneCycleLR (stepped per batch) with parameter groups: no weight decay on biases/BN, a 3x lr for the head.

Small BN-CNN on 8x8 digits with light augmentation (random shifts). AdamW. The lr warms up then
anneals to ~1e-7 by the end: the tiny final lr is by design.
"""
# expect:
# allow:
# forbid: *
# evidence: digits BN-CNN, AdamW OneCycle max_lr 4e-3 (head 1.2e-2), 6 epochs; lr ends at 1e-6 by design; val_loss 1.86 -> 0.112, val_acc 0.969 (chance 0.10), train_loss 0.078 (eval mode; augmented batch loss noisy 0.27-0.52 at the end)
import json, random
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
random.seed(14); np.random.seed(14); torch.manual_seed(14)


@dataclass
class Config:
    max_lr: float = 4e-3
    head_lr_mult: float = 3.0
    weight_decay: float = 0.05
    epochs: int = 6
    batch_size: int = 64


cfg = Config()
X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.3) / 0.38
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=14, stratify=y)
Xtr = torch.tensor(Xtr, dtype=torch.float32).view(-1, 1, 8, 8); Xva = torch.tensor(Xva, dtype=torch.float32).view(-1, 1, 8, 8)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(1, 24, 3, padding=1, bias=False), nn.BatchNorm2d(24), nn.ReLU(),
                                  nn.Conv2d(24, 48, 3, padding=1, bias=False), nn.BatchNorm2d(48), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(48, 64, 3, padding=1, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.head = nn.Linear(64, 10)

    def forward(self, x): return self.head(self.body(x).flatten(1))


def make_param_groups(model, cfg):
    groups = {"body_decay": [], "body_no_decay": [], "head_decay": [], "head_no_decay": []}
    for name, p in model.named_parameters():
        part = "head" if name.startswith("head") else "body"
        groups[f"{part}_{'no_decay' if p.ndim <= 1 else 'decay'}"].append(p)
    out = []
    for k, ps in groups.items():
        mult = cfg.head_lr_mult if k.startswith("head") else 1.0
        out.append({"params": ps, "weight_decay": 0.0 if "no_decay" in k else cfg.weight_decay, "lr": cfg.max_lr * mult, "name": k})
    return out


def augment(x):
    dx, dy = np.random.randint(-1, 2, size=2)
    return torch.roll(x, shifts=(int(dx), int(dy)), dims=(2, 3))


model = Net()
groups = make_param_groups(model, cfg)
opt = torch.optim.AdamW(groups)
steps_per_epoch = (len(Xtr) + cfg.batch_size - 1) // cfg.batch_size
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=[g["lr"] for g in groups], epochs=cfg.epochs, steps_per_epoch=steps_per_epoch, pct_start=0.25)
for epoch in range(cfg.epochs):
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(perm), cfg.batch_size):
        j = perm[i:i + cfg.batch_size]
        loss = F.cross_entropy(model(augment(Xtr[j])), ytr[j])
        opt.zero_grad(); loss.backward(); opt.step(); sched.step()
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    model.train()
    print(f"epoch {epoch} lr body {opt.param_groups[0]['lr']:.2e} head {opt.param_groups[2]['lr']:.2e} loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.4f}")
model.eval()
with torch.no_grad():
    trl = F.cross_entropy(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4), "chance_acc": 0.1}))
