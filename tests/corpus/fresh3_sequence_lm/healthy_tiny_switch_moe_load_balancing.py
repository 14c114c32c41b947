# expect:
# allow:
# forbid: *
# evidence: val_mse 0.0003 (target var 0.89), train 0.0003; expert usage on val 0.26/0.24/0.26/0.24
"""A tiny Switch-style mixture-of-experts layer inside a one-block transformer. Each sequence
starts with a 'mode' token (4 modes) followed by 15 real values; the per-position target is a
mode-specific nonlinear function of the value (sin, square, abs, negation). Attention carries
the mode to every position, a top-1 router sends each token to one of 4 expert MLPs (output
scaled by the router probability), and the Switch load-balancing auxiliary loss (coef 0.01)
keeps the experts used. Adam with linear warm-up and cosine decay, grad clipping 1.0.
Held-out MSE vs target variance; expert usage printed.
"""
import json
import math

import torch
from torch import nn
from torch.nn import functional as F

torch.set_num_threads(1)
torch.manual_seed(13)
g = torch.Generator().manual_seed(13)
T, D, E = 16, 48, 4
FUNCS = [lambda v: torch.sin(2 * v), lambda v: v ** 2 - 1, lambda v: v.abs() - 1, lambda v: -v]


def make(n):
    mode = torch.randint(0, 4, (n,), generator=g)
    v = torch.rand(n, T - 1, generator=g) * 4 - 2
    y = torch.stack([FUNCS[m](row) for m, row in zip(mode.tolist(), v)])
    return mode, v, y


mtr, vtr, ytr = make(4000)
mva, vva, yva = make(800)


class SwitchFFN(nn.Module):
    def __init__(self):
        super().__init__()
        self.router = nn.Linear(D, E)
        self.experts = nn.ModuleList([nn.Sequential(nn.Linear(D, 64), nn.GELU(), nn.Linear(64, D)) for _ in range(E)])

    def forward(self, x):
        flat = x.reshape(-1, D)
        probs = self.router(flat).softmax(-1)
        p_top, idx = probs.max(-1)
        out = torch.zeros_like(flat)
        for e, expert in enumerate(self.experts):
            sel = idx == e
            if sel.any():
                out[sel] = expert(flat[sel]) * p_top[sel, None]
        frac = torch.bincount(idx, minlength=E).float() / idx.numel()
        aux = E * (frac * probs.mean(0)).sum()
        return out.view_as(x), aux, frac


class MoEModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.mode_emb = nn.Embedding(4, D)
        self.val_proj = nn.Linear(1, D)
        self.pos = nn.Parameter(torch.randn(T, D) * 0.02)
        self.ln1, self.ln2 = nn.LayerNorm(D), nn.LayerNorm(D)
        self.attn = nn.MultiheadAttention(D, 4, batch_first=True)
        self.moe = SwitchFFN()
        self.head = nn.Linear(D, 1)

    def forward(self, mode, v):
        x = torch.cat([self.mode_emb(mode)[:, None], self.val_proj(v[..., None])], 1) + self.pos
        h = self.ln1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        m, aux, frac = self.moe(self.ln2(x))
        x = x + m
        return self.head(x[:, 1:]).squeeze(-1), aux, frac


model = MoEModel()
STEPS, WARM, BS = 700, 50, 64
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
sched = torch.optim.lr_scheduler.LambdaLR(
    opt, lambda s: (s + 1) / WARM if s < WARM else 0.5 * (1 + math.cos(math.pi * (s - WARM) / (STEPS - WARM))))
for step in range(STEPS):
    ix = torch.randint(0, len(mtr), (BS,), generator=g)
    pred, aux, frac = model(mtr[ix], vtr[ix])
    mse = F.mse_loss(pred, ytr[ix])
    loss = mse + 0.01 * aux
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    sched.step()
    if step % 50 == 0:
        print(f"step {step} mse {mse.item():.4f} aux {aux.item():.3f} usage {[round(f, 2) for f in frac.tolist()]}")

with torch.no_grad():
    pv, _, fv = model(mva, vva)
    pt, _, _ = model(mtr[:800], vtr[:800])
print("CORPUS_METRIC " + json.dumps({
    "val_mse": round(F.mse_loss(pv, yva).item(), 4), "train_mse": round(F.mse_loss(pt, ytr[:800]).item(), 4),
    "target_var": round(yva.var().item(), 4), "val_expert_usage": [round(f, 3) for f in fv.tolist()]}))
