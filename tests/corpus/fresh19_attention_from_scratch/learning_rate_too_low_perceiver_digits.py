# Perceiver-style classifier on 8x8 digits: the 64 pixels are input tokens (value projection +
# learned pixel-position embedding); 8 learned latents cross-attend to them once, then two
# latent self-attention blocks, mean-pool, linear head. AdamW, decay on matrices only.
# Bug: the config has lr = 1e-6 (meant 2e-3) -- with the same 12 epochs the model barely moves.
# --control: lr = 2e-3.
#
# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (lr=1e-6): val_acc 0.098, val_loss 2.318, train_loss 2.314 after 12 epochs (chance 0.10, ln10=2.303); control (lr=2e-3): val_acc 0.851, val_loss 0.495, train_loss 0.31
# control: --control
import json
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

torch.set_num_threads(1)
torch.manual_seed(5)
rng = np.random.default_rng(5)

CONFIG = dict(latents=8, dim=48, heads=4, self_blocks=2, epochs=12, batch=48,
              lr=2e-3 if "--control" in sys.argv else 1e-6, wd=1e-2)

X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.3) / 0.4
idx = rng.permutation(len(X))
tr, va = idx[:1400], idx[1400:]
Xtr, ytr = torch.tensor(X[tr], dtype=torch.float32), torch.tensor(y[tr])
Xva, yva = torch.tensor(X[va], dtype=torch.float32), torch.tensor(y[va])


class CrossAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(dim, dim, bias=False)
        self.kv = nn.Linear(dim, 2 * dim, bias=False)
        self.out = nn.Linear(dim, dim)

    def forward(self, latents, context):
        Bq, Nq, D = latents.shape
        q = self.q(latents).view(Bq, Nq, self.heads, -1)
        k, v = self.kv(context).view(context.shape[0], context.shape[1], 2, self.heads, -1).unbind(2)
        w = torch.einsum("bnhd,bmhd->bhnm", q, k) * q.shape[-1] ** -0.5
        o = torch.einsum("bhnm,bmhd->bnhd", w.softmax(-1), v).reshape(Bq, Nq, D)
        return self.out(o)


class PreNormBlock(nn.Module):
    def __init__(self, dim, heads, cross=False):
        super().__init__()
        self.cross = cross
        self.ln_q = nn.LayerNorm(dim)
        self.ln_kv = nn.LayerNorm(dim) if cross else None
        self.att = CrossAttention(dim, heads)
        self.ln_ff = nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, dim * 2), nn.GELU(), nn.Linear(dim * 2, dim))

    def forward(self, z, ctx=None):
        zn = self.ln_q(z)
        kv = self.ln_kv(ctx) if self.cross else zn
        z = z + self.att(zn, kv)
        return z + self.ff(self.ln_ff(z))


class Perceiver(nn.Module):
    def __init__(self, c):
        super().__init__()
        d = c["dim"]
        self.value_proj = nn.Linear(1, d)
        self.pixel_pos = nn.Parameter(torch.randn(64, d))
        self.latents = nn.Parameter(torch.randn(c["latents"], d) * 0.02)
        self.cross = PreNormBlock(d, c["heads"], cross=True)
        self.selfs = nn.ModuleList(PreNormBlock(d, c["heads"]) for _ in range(c["self_blocks"]))
        self.head = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 10))

    def forward(self, pixels):
        ctx = self.value_proj(pixels.unsqueeze(-1)) + self.pixel_pos
        z = self.latents.expand(pixels.shape[0], -1, -1)
        z = self.cross(z, ctx)
        for blk in self.selfs:
            z = blk(z)
        return self.head(z.mean(1))


model = Perceiver(CONFIG)
matrices = [p for p in model.parameters() if p.ndim == 2]
others = [p for p in model.parameters() if p.ndim != 2]
opt = torch.optim.AdamW([dict(params=matrices, weight_decay=CONFIG["wd"]),
                         dict(params=others, weight_decay=0.0)], lr=CONFIG["lr"])

for ep in range(CONFIG["epochs"]):
    model.train()
    perm = torch.randperm(len(Xtr))
    losses = []
    for i in range(0, len(perm), CONFIG["batch"]):
        b = perm[i:i + CONFIG["batch"]]
        loss = F.cross_entropy(model(Xtr[b]), ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        lo = model(Xva)
        vl, va_acc = F.cross_entropy(lo, yva).item(), (lo.argmax(1) == yva).float().mean().item()
    print(f"ep {ep:2d} train_loss={np.mean(losses):.4f} val_loss={vl:.4f} val_acc={va_acc:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va_acc, 4),
                                     "train_loss": round(float(np.mean(losses)), 4), "chance_acc": 0.1}))
