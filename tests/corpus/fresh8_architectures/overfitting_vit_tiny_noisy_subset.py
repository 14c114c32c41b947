# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (96 train images, 20% noisy labels, 300 steps, wd 0): train_loss 0.004, train_acc 1.00 (memorised noise) while val_loss 2.74, val_acc 0.42 (chance 0.25); control (2000 images, same noise and steps): val_loss 0.20, val_acc 0.974, train_loss 0.50 (noise floor)
# control: --control
"""Tiny ViT trained "to convergence" on a small labelled set (96 images, 20% of labels noisy) with no weight decay.
--control: same step budget, same noise rate, 2000 labelled images."""
import json
import sys
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)

IMG, PATCH, DIM, HEADS, DEPTH, NCLS = 16, 4, 48, 4, 2, 4


def make_images(n, gen):
    x = torch.randn(n, 1, IMG, IMG, generator=gen) * 0.3
    y = torch.randint(0, NCLS, (n,), generator=gen)
    for i in range(n):
        r, c = torch.randint(2, IMG - 6, (2,), generator=gen).tolist()
        k = y[i].item()
        if k == 0:
            x[i, 0, r, c:c + 6] += 1.5
        elif k == 1:
            x[i, 0, r:r + 6, c] += 1.5
        elif k == 2:
            for d in range(6):
                x[i, 0, r + d, c + d] += 1.5
        else:
            x[i, 0, r:r + 3, c:c + 3] += 1.5
    return x, y


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ln2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))


class TinyViT(nn.Module):
    def __init__(self):
        super().__init__()
        n_patches = (IMG // PATCH) ** 2
        self.patch_embed = nn.Conv2d(1, DIM, PATCH, stride=PATCH)
        self.cls = nn.Parameter(torch.zeros(1, 1, DIM))
        self.pos = nn.Parameter(torch.randn(1, n_patches + 1, DIM) * 0.02)
        self.blocks = nn.ModuleList([Block(DIM, HEADS) for _ in range(DEPTH)])
        self.norm = nn.LayerNorm(DIM)
        self.head = nn.Linear(DIM, NCLS)

    def forward(self, x):
        x = self.patch_embed(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1) + self.pos
        for b in self.blocks:
            x = b(x)
        return self.head(self.norm(x[:, 0]))


g = torch.Generator().manual_seed(1)
N_TRAIN = 2000 if "--control" in sys.argv else 96
xtr, ytr = make_images(N_TRAIN, g)
xva, yva = make_images(500, g)
flip = torch.rand(N_TRAIN, generator=g) < 0.2
ytr = torch.where(flip, torch.randint(0, NCLS, (N_TRAIN,), generator=g), ytr)

model = TinyViT()
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.0)
EPOCHS, BS, STEPS_PER_EPOCH = 10, 32, 30
total, warm = EPOCHS * STEPS_PER_EPOCH, STEPS_PER_EPOCH
sched = torch.optim.lr_scheduler.LambdaLR(
    opt, lambda s: (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / (total - warm))))


def evaluate(x, y):
    model.eval()
    with torch.no_grad():
        logits = model(x)
        loss = F.cross_entropy(logits, y).item()
        acc = (logits.argmax(1) == y).float().mean().item()
    model.train()
    return loss, acc


for epoch in range(EPOCHS):
    running = 0.0
    for _ in range(STEPS_PER_EPOCH):
        idx = torch.randint(0, len(xtr), (BS,))
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        running += loss.item() * len(idx)
    vl, va = evaluate(xva, yva)
    print(f"epoch {epoch:2d} train_loss {running / (STEPS_PER_EPOCH * BS):.4f} val_loss {vl:.4f} val_acc {va:.3f} lr {sched.get_last_lr()[0]:.2e}")

tl, ta = evaluate(xtr, ytr)
vl, va = evaluate(xva, yva)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                      "train_acc": round(ta, 4), "chance_acc": 0.25}))
