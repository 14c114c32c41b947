# Perceiver-style set classifier: 24 2-D points sampled from one of four shapes (circle, line
# segment, cross, two blobs), randomly scaled/rotated/shifted + jitter. The input is a SET,
# so there is deliberately no positional encoding: 6 learned latents cross-attend to the
# point tokens, one latent self-attention block, mean-pool. Permutation invariant by design.
#
# expect:
# allow:
# forbid: *
# evidence: healthy; held-out acc 0.996 on freshly sampled sets (chance 0.25), val loss 0.007, train loss 0.002; predictions unchanged under point shuffling (1.0)
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(123)
rng = torch.Generator().manual_seed(123)
N_PTS, N_CLS = 24, 4


def shape_points(c, n):
    t = torch.rand(n, generator=rng)
    if c == 0:  # circle
        a = 2 * math.pi * t
        p = torch.stack([a.cos(), a.sin()], 1)
    elif c == 1:  # line segment
        u = t * 2 - 1
        p = torch.stack([u, torch.zeros_like(u)], 1)
    elif c == 2:  # cross
        u = t * 2 - 1
        horiz = torch.rand(n, generator=rng) < 0.5
        p = torch.where(horiz[:, None], torch.stack([u, torch.zeros_like(u)], 1), torch.stack([torch.zeros_like(u), u], 1))
    else:  # two blobs
        side = (torch.rand(n, generator=rng) < 0.5).float() * 2 - 1
        p = torch.stack([side * 0.8, torch.zeros(n)], 1) + 0.15 * torch.randn(n, 2, generator=rng)
    return p


def sample_sets(n):
    X = torch.empty(n, N_PTS, 2)
    y = torch.randint(0, N_CLS, (n,), generator=rng)
    for i in range(n):
        p = shape_points(int(y[i]), N_PTS)
        th = torch.rand(1, generator=rng).item() * 2 * math.pi
        R = torch.tensor([[math.cos(th), -math.sin(th)], [math.sin(th), math.cos(th)]])
        scale = 0.7 + 0.6 * torch.rand(1, generator=rng)
        X[i] = (p @ R.T) * scale + 0.3 * torch.randn(2, generator=rng) + 0.04 * torch.randn(N_PTS, 2, generator=rng)
    X = X - X.mean(1, keepdim=True)  # centre each set (translation is a nuisance)
    return X, y


Xtr, ytr = sample_sets(3000)
Xva, yva = sample_sets(800)


class Perceiver(nn.Module):
    def __init__(self, dim=48, n_latents=6, heads=4):
        super().__init__()
        self.point_mlp = nn.Sequential(nn.Linear(2, dim), nn.GELU(), nn.Linear(dim, dim))
        self.latents = nn.Parameter(torch.randn(n_latents, dim) * 0.1)
        self.ln_lat, self.ln_in = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.cross = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.cross_ff = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))
        self.ln_self = nn.LayerNorm(dim)
        self.self_attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.self_ff = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))
        self.head = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, N_CLS))

    def forward(self, pts):
        kv = self.ln_in(self.point_mlp(pts))  # no positional encoding: it is a set
        z = self.latents.unsqueeze(0).expand(pts.size(0), -1, -1)
        z = z + self.cross(self.ln_lat(z), kv, kv, need_weights=False)[0]
        z = z + self.cross_ff(z)
        zn = self.ln_self(z)
        z = z + self.self_attn(zn, zn, zn, need_weights=False)[0]
        z = z + self.self_ff(z)
        return self.head(z.mean(1))


model = Perceiver()
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
EPOCHS = 10
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=EPOCHS * math.ceil(len(Xtr) / 64))
for epoch in range(EPOCHS):
    model.train()
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), 64):
        b = perm[i:i + 64]
        loss = F.cross_entropy(model(Xtr[b]), ytr[b])
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
    model.eval()
    with torch.no_grad():
        out = model(Xva)
        vl = F.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
        tl = F.cross_entropy(model(Xtr[:800]), ytr[:800]).item()
    print(f"epoch {epoch}: train {tl:.4f} val {vl:.4f} acc {va:.4f}")

# sanity: permutation invariance
with torch.no_grad():
    shuf = Xva[:, torch.randperm(N_PTS)]
    inv = (model(shuf).argmax(1) == out.argmax(1)).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "perm_invariance": inv, "chance_acc": 0.25}))
