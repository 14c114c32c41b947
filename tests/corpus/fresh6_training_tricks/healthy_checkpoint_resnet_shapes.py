# expect:
# allow:
# forbid: *
# evidence: small BN ResNet with torch.utils.checkpoint on the residual blocks, AdamW + OneCycleLR (max_lr 4e-3), 4-class synthetic noisy shapes (16x16, random position/size), 1200 train images; final val_acc 0.995, val_loss 0.058 (chance 0.25)
"""Activation checkpointing on residual blocks (memory trick), OneCycleLR."""
import json
import math
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint

torch.set_num_threads(1)
torch.manual_seed(0)
S = 16
yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")


def shapes(n):
    y = torch.randint(0, 4, (n,))
    imgs = torch.zeros(n, 1, S, S)
    for i in range(n):
        cx, cy = torch.randint(5, S - 5, (2,)).float()
        r = float(torch.randint(3, 5, (1,)))
        c = int(y[i])
        if c == 0:      # filled square
            m = ((xx - cx).abs() <= r) & ((yy - cy).abs() <= r)
        elif c == 1:    # ring
            d = ((xx - cx) ** 2 + (yy - cy) ** 2).sqrt()
            m = (d <= r + 0.5) & (d >= r - 1.0)
        elif c == 2:    # plus sign
            m = (((xx - cx).abs() <= 0.6) & ((yy - cy).abs() <= r)) | (((yy - cy).abs() <= 0.6) & ((xx - cx).abs() <= r))
        else:           # diagonal line
            m = ((xx - cx) - (yy - cy)).abs() <= 0.8
            m &= ((xx - cx).abs() <= r)
        imgs[i, 0] = m.float()
    imgs += 0.45 * torch.randn_like(imgs)
    return (imgs - 0.15) / 0.6, y


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c1 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.b1 = nn.BatchNorm2d(c)
        self.c2 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.b2 = nn.BatchNorm2d(c)

    def forward(self, x):
        h = F.relu(self.b1(self.c1(x)))
        return F.relu(x + self.b2(self.c2(h)))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.blocks = nn.ModuleList([Block(16), Block(16)])
        self.head = nn.Linear(16, 4)

    def forward(self, x):
        x = self.stem(x)
        for b in self.blocks:
            x = checkpoint(b, x, use_reentrant=False) if self.training else b(x)
            x = F.max_pool2d(x, 2)
        return self.head(x.mean((2, 3)))


xtr, ytr = shapes(1200)
xva, yva = shapes(400)
model = Net()
EPOCHS, BS = 7, 32
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=4e-3, epochs=EPOCHS, steps_per_epoch=math.ceil(len(xtr) / BS))

for epoch in range(EPOCHS):
    model.train()
    perm = torch.randperm(len(xtr))
    tot = 0.0
    for s in range(0, len(xtr), BS):
        idx = perm[s:s + BS]
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        lv = model(xva)
        val_loss = F.cross_entropy(lv, yva).item()
        val_acc = (lv.argmax(1) == yva).float().mean().item()
    train_loss = tot / len(xtr)
    print(f"epoch {epoch} train_loss {train_loss:.4f} val_loss {val_loss:.4f} val_acc {val_acc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                      "train_loss": round(train_loss, 4), "chance_acc": 0.25}))
