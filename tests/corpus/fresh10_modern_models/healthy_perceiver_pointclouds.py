# expect:
# allow:
# forbid: *
# evidence: latent array (8x48) cross-attends to 64 Fourier-featured points, 2 latent self-attention blocks, AdamW 2e-3 warm-up+cosine, clip 1.0, 300 steps; held-out val_acc 0.93, val_loss 0.17, train_acc 0.95 (chance 0.20)
"""Perceiver-style classifier: a small learned latent array cross-attends to a 2-D point cloud (64 points,
Fourier-feature positions), then latent self-attention blocks (pre-LN); classes are 5 noisy shapes
(circle, square outline, cross, two blobs, spiral) under random rotation/scale. AdamW warm-up+cosine, clipping."""
import argparse, json, math
from dataclasses import dataclass
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


@dataclass
class PerceiverConfig:
    n_points: int = 64
    n_latents: int = 8
    dim: int = 48
    heads: int = 4
    self_layers: int = 2
    n_freq: int = 6
    lr: float = 2e-3
    steps: int = 300
    batch: int = 64
    warmup: int = 30
    seed: int = 0


def sample_shape(k, n, rng):
    u = rng.random(n)
    if k == 0:
        a = 2 * np.pi * u; p = np.stack([np.cos(a), np.sin(a)], 1)
    elif k == 1:
        s = rng.integers(0, 4, n); t = u * 2 - 1
        p = np.stack([np.where(s < 2, t, np.where(s == 2, -1, 1)), np.where(s < 2, np.where(s == 0, -1, 1), t)], 1)
    elif k == 2:
        t = u * 2 - 1; h = rng.random(n) < 0.5
        p = np.stack([np.where(h, t, 0), np.where(h, 0, t)], 1)
    elif k == 3:
        c = np.where(rng.random(n)[:, None] < 0.5, [-0.6, 0], [0.6, 0]); p = c + 0.2 * rng.normal(size=(n, 2))
    else:
        a = 3 * np.pi * u; r = 0.15 + 0.85 * u; p = np.stack([r * np.cos(a), r * np.sin(a)], 1)
    th = rng.uniform(0, 2 * np.pi); R = np.array([[np.cos(th), -np.sin(th)], [np.sin(th), np.cos(th)]])
    return (p @ R.T) * rng.uniform(0.7, 1.3) + 0.05 * rng.normal(size=(n, 2))


def make_data(n, c, rng):
    y = rng.integers(0, 5, n)
    X = np.stack([sample_shape(k, c.n_points, rng) for k in y])
    return torch.tensor(X, dtype=torch.float32), torch.tensor(y)


def fourier(x, n_freq):
    f = 2.0 ** torch.arange(n_freq) * math.pi / 2
    a = x[..., None] * f
    return torch.cat([x, a.sin().flatten(-2), a.cos().flatten(-2)], -1)


class CrossAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.nq, self.nkv = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.mlp = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, q, kv):
        kvn = self.nkv(kv)
        q = q + self.attn(self.nq(q), kvn, kvn, need_weights=False)[0]
        return q + self.mlp(q)


class Perceiver(nn.Module):
    def __init__(self, c, n_classes=5):
        super().__init__()
        self.latents = nn.Parameter(torch.randn(c.n_latents, c.dim) * 0.02)
        self.inp = nn.Linear(2 + 4 * c.n_freq, c.dim)
        self.cross = CrossAttention(c.dim, 1)
        self.selfs = nn.ModuleList([CrossAttention(c.dim, c.heads) for _ in range(c.self_layers)])
        self.head = nn.Sequential(nn.LayerNorm(c.dim), nn.Linear(c.dim, n_classes))
        self.n_freq = c.n_freq

    def forward(self, pts):
        kv = self.inp(fourier(pts, self.n_freq))
        z = self.cross(self.latents.expand(pts.shape[0], -1, -1), kv)
        for blk in self.selfs:
            z = blk(z, z)
        return self.head(z.mean(1))


@torch.no_grad()
def evaluate(model, X, y):
    model.eval(); out = model(X)
    return F.cross_entropy(out, y).item(), (out.argmax(1) == y).float().mean().item()


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); a = ap.parse_args()
    c = PerceiverConfig()
    torch.manual_seed(c.seed); rng = np.random.default_rng(c.seed)
    Xtr, ytr = make_data(2000, c, rng); Xva, yva = make_data(500, c, rng)
    model = Perceiver(c)
    opt = torch.optim.AdamW(model.parameters(), lr=c.lr, weight_decay=0.05)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: (s + 1) / c.warmup if s < c.warmup else 0.5 * (1 + math.cos(math.pi * (s - c.warmup) / (c.steps - c.warmup))))
    for step in range(c.steps):
        model.train()
        idx = torch.randint(0, len(ytr), (c.batch,))
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); nn.utils.clip_grad_norm_(model.parameters(), 1.0); opt.step(); sched.step()
        if step % 60 == 59:
            vl, va = evaluate(model, Xva, yva)
            print(f"step {step+1} train_loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.3f}")
    vl, va = evaluate(model, Xva, yva); tl, ta = evaluate(model, Xtr, ytr)
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "train_acc": round(ta, 4), "chance_acc": 0.2}))


if __name__ == "__main__":
    main()
