# expect:
# allow:
# forbid: *
# evidence: 2 SAB + PMA, AdamW 4e-3, ExponentialLR(0.8) stepped per epoch, 10 epochs; held-out val_acc 0.865, val_loss 0.31, train_acc 0.91 (chance 0.25; 4-way cluster counting with overlapping clusters)
"""Set Transformer (2 SAB blocks + PMA pooling with one seed vector) that counts the Gaussian clusters (1-4)
a 2-D point set of 24 points was drawn from. Registry of models, config dataclass, AdamW with a per-epoch
exponential decay schedule (scheduler.step() once per epoch), label smoothing."""
import argparse, json
from dataclasses import dataclass
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


@dataclass
class STConfig:
    dim: int = 32
    heads: int = 4
    n_points: int = 24
    lr: float = 4e-3
    gamma: float = 0.8
    epochs: int = 10
    batch: int = 64
    n_train: int = 1500
    sched_per_batch: bool = False
    seed: int = 0


def make_sets(n, c, rng):
    y = rng.integers(0, 4, n)
    X = np.zeros((n, c.n_points, 2), np.float32)
    for i in range(n):
        k = y[i] + 1
        centers = rng.uniform(-3, 3, size=(k, 2))
        while k > 1 and min(np.linalg.norm(centers[a] - centers[b]) for a in range(k) for b in range(a)) < 1.8:
            centers = rng.uniform(-3, 3, size=(k, 2))
        X[i] = centers[rng.integers(0, k, c.n_points)] + 0.3 * rng.normal(size=(c.n_points, 2))
    return torch.tensor(X), torch.tensor(y)


class MAB(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Linear(2 * d, d))

    def forward(self, q, k):
        h = self.ln1(q + self.attn(q, k, k, need_weights=False)[0])
        return self.ln2(h + self.ff(h))


class SetTransformer(nn.Module):
    def __init__(self, c, n_classes=4):
        super().__init__()
        self.embed = nn.Linear(2, c.dim)
        self.sab1, self.sab2 = MAB(c.dim, c.heads), MAB(c.dim, c.heads)
        self.seed = nn.Parameter(torch.randn(1, 1, c.dim) * 0.1)
        self.pma = MAB(c.dim, c.heads)
        self.head = nn.Linear(c.dim, n_classes)

    def forward(self, x):
        h = self.embed(x)
        h = self.sab1(h, h)
        h = self.sab2(h, h)
        z = self.pma(self.seed.expand(x.shape[0], -1, -1), h)
        return self.head(z.squeeze(1))


MODEL_REGISTRY = {"set_transformer": SetTransformer}


@torch.no_grad()
def evaluate(model, X, y):
    model.eval(); out = model(X)
    return F.cross_entropy(out, y).item(), (out.argmax(1) == y).float().mean().item()


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); a = ap.parse_args()
    c = STConfig()
    torch.manual_seed(c.seed); rng = np.random.default_rng(c.seed)
    Xtr, ytr = make_sets(c.n_train, c, rng); Xva, yva = make_sets(600, c, rng)
    model = MODEL_REGISTRY["set_transformer"](c)
    opt = torch.optim.AdamW(model.parameters(), lr=c.lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=c.gamma)
    for ep in range(c.epochs):
        model.train(); perm = torch.randperm(len(ytr)); tot = 0.0
        for i in range(0, len(perm), c.batch):
            idx = perm[i:i + c.batch]
            loss = F.cross_entropy(model(Xtr[idx]), ytr[idx], label_smoothing=0.05)
            opt.zero_grad(); loss.backward(); nn.utils.clip_grad_norm_(model.parameters(), 1.0); opt.step()
            if c.sched_per_batch:
                sched.step()
            tot += loss.item() * len(idx)
        if not c.sched_per_batch:
            sched.step()
        vl, va = evaluate(model, Xva, yva)
        if ep % 2 == 1:
            print(f"epoch {ep+1} lr {opt.param_groups[0]['lr']:.2e} train_loss {tot/len(ytr):.4f} val_loss {vl:.4f} val_acc {va:.3f}")
    tl, ta = evaluate(model, Xtr, ytr)
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "train_acc": round(ta, 4), "chance_acc": 0.25}))


if __name__ == "__main__":
    main()
