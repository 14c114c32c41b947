# expect:
# allow:
# forbid: *
# evidence: tiny ViT (patch 2x2 + CLS, pre-norm, 3 blocks, dim 48) on sklearn digits, AdamW 5e-3 with warm-up+cosine, label smoothing 0.1; held-out val_acc 0.95, val_loss 0.24, train_acc 1.00 after 16 epochs (chance 0.10)
"""Tiny Vision Transformer on 8x8 digits: research-style config + train_one_epoch/evaluate."""
import argparse, json, math, random
from dataclasses import dataclass
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)


@dataclass
class Config:
    img: int = 8
    patch: int = 2
    dim: int = 48
    depth: int = 2
    heads: int = 4
    mlp_ratio: int = 2
    lr: float = 5e-3
    wd: float = 0.05
    epochs: int = 16
    batch: int = 64
    warmup_frac: float = 0.1
    label_smoothing: float = 0.1
    seed: int = 0


class PatchEmbed(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.proj = nn.Conv2d(1, c.dim, c.patch, c.patch)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.n1 = nn.LayerNorm(c.dim)
        self.attn = nn.MultiheadAttention(c.dim, c.heads, batch_first=True)
        self.n2 = nn.LayerNorm(c.dim)
        self.mlp = nn.Sequential(nn.Linear(c.dim, c.dim * c.mlp_ratio), nn.GELU(), nn.Linear(c.dim * c.mlp_ratio, c.dim))

    def forward(self, x):
        h = self.n1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.n2(x))


class ViT(nn.Module):
    def __init__(self, c, n_classes=10):
        super().__init__()
        self.embed = PatchEmbed(c)
        n = (c.img // c.patch) ** 2
        self.cls = nn.Parameter(torch.zeros(1, 1, c.dim))
        self.pos = nn.Parameter(torch.randn(1, n + 1, c.dim) * 0.02)
        self.blocks = nn.ModuleList([Block(c) for _ in range(c.depth)])
        self.norm = nn.LayerNorm(c.dim)
        self.head = nn.Linear(c.dim, n_classes)
        self.apply(self._init)

    @staticmethod
    def _init(m):
        if isinstance(m, nn.Linear):
            nn.init.trunc_normal_(m.weight, std=0.02)
            nn.init.zeros_(m.bias)

    def forward(self, x):
        x = self.embed(x)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], 1) + self.pos
        for b in self.blocks:
            x = b(x)
        return self.head(self.norm(x)[:, 0])


def train_one_epoch(model, loader, opt, sched, c):
    model.train()
    tot, n = 0.0, 0
    for xb, yb in loader:
        loss = F.cross_entropy(model(xb), yb, label_smoothing=c.label_smoothing)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step(); sched.step()
        tot += loss.item() * len(yb); n += len(yb)
    return tot / n


@torch.no_grad()
def evaluate(model, X, y):
    model.eval()
    out = model(X)
    return F.cross_entropy(out, y).item(), (out.argmax(1) == y).float().mean().item()


def main():
    ap = argparse.ArgumentParser(); ap.parse_args()
    c = Config()
    torch.manual_seed(c.seed); np.random.seed(c.seed); random.seed(c.seed)
    d = load_digits()
    X = (d.images / 16.0 - 0.5) / 0.5
    Xtr, Xva, ytr, yva = train_test_split(X, d.target, test_size=0.25, random_state=0, stratify=d.target)
    t = lambda a: torch.tensor(a, dtype=torch.float32).unsqueeze(1)
    Xtr, Xva = t(Xtr), t(Xva)
    ytr, yva = torch.tensor(ytr), torch.tensor(yva)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=c.batch, shuffle=True)
    model = ViT(c)
    decay = [p for n_, p in model.named_parameters() if p.ndim >= 2 and "pos" not in n_]
    no_decay = [p for n_, p in model.named_parameters() if not (p.ndim >= 2 and "pos" not in n_)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": c.wd}, {"params": no_decay, "weight_decay": 0.0}], lr=c.lr)
    total = c.epochs * len(loader); warm = int(c.warmup_frac * total)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / (total - warm))))
    for ep in range(c.epochs):
        tl = train_one_epoch(model, loader, opt, sched, c)
        vl, va = evaluate(model, Xva, yva)
        if ep % 4 == 3 or ep == c.epochs - 1:
            print(f"epoch {ep+1} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
    _, tra = evaluate(model, Xtr, ytr)
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "train_acc": round(tra, 4), "chance_acc": 0.1}))


if __name__ == "__main__":
    main()
