# expect:
# allow:
# forbid: *
# evidence: tiny ViT reaches val_acc 0.933, val_loss 0.29 (epoch0: 0.20 / 1.99) on 8 line-glyph classes (chance 0.125); train loss includes label smoothing + shift aug
"""A tiny Vision Transformer (patch 4, 2 blocks) on procedurally drawn line glyphs.
AdamW + linear warm-up + cosine decay, label smoothing 0.1, grad clipping 1.0."""
import json
import math

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
np.random.seed(0)

IMG, PATCH, DIM, DEPTH, HEADS = 16, 4, 48, 2, 4
GLYPHS = ["hbar", "vbar", "diag", "anti", "x", "plus", "box", "ell"]


def glyph(kind, rng):
    im = np.zeros((IMG, IMG), np.float32)
    a, b = rng.integers(2, 6), rng.integers(10, 14)        # extent
    c = rng.integers(5, 11)                                # offset of the stroke
    t = rng.integers(1, 3)                                 # thickness
    idx = np.arange(a, b)
    if kind in ("hbar", "plus"):
        im[c:c + t, a:b] = 1
    if kind in ("vbar", "plus"):
        im[a:b, c:c + t] = 1
    if kind in ("diag", "x"):
        for k in range(t):
            im[idx, np.clip(idx + k, 0, IMG - 1)] = 1
    if kind in ("anti", "x"):
        for k in range(t):
            im[idx, np.clip(IMG - 1 - idx + k, 0, IMG - 1)] = 1
    if kind == "box":
        im[a:b, a] = im[a:b, b - 1] = im[a, a:b] = im[b - 1, a:b] = 1
    if kind == "ell":
        im[a:b, a:a + t] = 1
        im[b - t:b, a:b] = 1
    im = np.roll(im, rng.integers(-2, 3, size=2), axis=(0, 1))
    return im + rng.normal(0, 0.2, im.shape).astype(np.float32)


def dataset(n, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, len(GLYPHS), n)
    x = np.stack([glyph(GLYPHS[k], rng) for k in y])[:, None]
    return torch.from_numpy(x), torch.from_numpy(y).long()


class TinyViT(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        n_tok = (IMG // PATCH) ** 2
        self.patch = nn.Conv2d(1, DIM, PATCH, stride=PATCH)
        self.cls = nn.Parameter(torch.zeros(1, 1, DIM))
        self.pos = nn.Parameter(torch.randn(1, n_tok + 1, DIM) * 0.02)
        layer = nn.TransformerEncoderLayer(DIM, HEADS, dim_feedforward=2 * DIM, dropout=0.0,
                                           activation="gelu", batch_first=True, norm_first=True)
        self.blocks = nn.TransformerEncoder(layer, DEPTH, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(DIM)
        self.head = nn.Linear(DIM, n_classes)

    def forward(self, x):
        t = self.patch(x).flatten(2).transpose(1, 2)
        t = torch.cat([self.cls.expand(len(t), -1, -1), t], 1) + self.pos
        return self.head(self.norm(self.blocks(t)[:, 0]))


xtr, ytr = dataset(1800, 1)
xva, yva = dataset(600, 2)
model = TinyViT(len(GLYPHS))
decay = [p for n, p in model.named_parameters() if p.ndim >= 2 and "pos" not in n]
no_decay = [p for n, p in model.named_parameters() if p.ndim < 2 or "pos" in n]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05},
                         {"params": no_decay, "weight_decay": 0.0}], lr=2e-3)
EPOCHS, BS = 12, 64
steps_per_epoch = math.ceil(len(xtr) / BS)
total, warm = EPOCHS * steps_per_epoch, 2 * steps_per_epoch
sched = torch.optim.lr_scheduler.LambdaLR(
    opt, lambda s: (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / (total - warm))))

for epoch in range(EPOCHS):
    model.train()
    perm = torch.randperm(len(xtr))
    tl, tc = 0.0, 0
    for i in range(0, len(xtr), BS):
        idx = perm[i:i + BS]
        xb = xtr[idx]
        # cheap augmentation: shift the whole batch by a random offset (no flips: they change the class)
        sh = torch.randint(-2, 3, (2,))
        xb = torch.roll(xb, shifts=(int(sh[0]), int(sh[1])), dims=(2, 3))
        logits = model(xb)
        loss = F.cross_entropy(logits, ytr[idx], label_smoothing=0.1)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        tl += loss.item() * len(idx)
        tc += (logits.argmax(1) == ytr[idx]).sum().item()
    model.eval()
    with torch.no_grad():
        vlog = model(xva)
        vl = F.cross_entropy(vlog, yva).item()
        va = (vlog.argmax(1) == yva).float().mean().item()
    print(f"ep {epoch:2d} lr {sched.get_last_lr()[0]:.2e} train_loss {tl / len(xtr):.4f} "
          f"train_acc {tc / len(xtr):.3f} val_loss {vl:.4f} val_acc {va:.3f}")

print("CORPUS_METRIC " + json.dumps({"train_loss": round(tl / len(xtr), 4), "train_acc": round(tc / len(xtr), 4),
                                     "val_loss": round(vl, 4), "val_acc": round(va, 4),
                                     "chance_acc": 1 / len(GLYPHS)}))
