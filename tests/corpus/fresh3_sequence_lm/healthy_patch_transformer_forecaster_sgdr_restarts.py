# expect:
# allow:
# forbid: *
# evidence: val_mse 0.0245 (target var 0.58, last-value baseline 0.576), train_mse 0.019
"""Patch-based transformer forecaster (PatchTST-like) for a 3-channel sensor series: the target
channel follows a lagged, nonlinear copy of a leading channel plus its own cycle and noise.
Context 48 steps -> 6 patches of 8 steps per channel, channel-mixed into 6 tokens, 2-layer
pre-norm nn.TransformerEncoder, linear head predicting the next 8 target steps. Per-window
instance normalisation (RevIN-style: subtract the window mean, divide by its std, undo at the
output). Adam with CosineAnnealingWarmRestarts (T_0=60 steps, T_mult=2): the lr jumps back to its
peak at steps 60 and 180 (the training loss stalls for a while after each restart), ending
at the bottom of the third cycle.
Held-out: later part of the series, MSE vs target variance and vs a last-value baseline.
"""
import json
import math

import torch
from torch import nn
from torch.nn import functional as F

torch.set_num_threads(1)
torch.manual_seed(19)
g = torch.Generator().manual_seed(19)
N, CTX, HOR, PATCH = 5000, 48, 8, 8
t = torch.arange(N).float()
lead = torch.sin(2 * math.pi * t / 37) + 0.5 * torch.sin(2 * math.pi * t / 11) + 0.1 * torch.randn(N, generator=g)
other = torch.cos(2 * math.pi * t / 50) + 0.2 * torch.randn(N, generator=g)
target = torch.zeros(N)
target[6:] = torch.tanh(1.5 * lead[:-6]) + 0.3 * torch.sin(2 * math.pi * t[6:] / 24)
target += 0.1 * torch.randn(N, generator=g)
X = torch.stack([target, lead, other], 0)  # (C, N)


def windows(lo, hi):
    idx = torch.arange(lo, hi - CTX - HOR, 2)
    x = torch.stack([X[:, i:i + CTX] for i in idx])
    y = torch.stack([target[i + CTX:i + CTX + HOR] for i in idx])
    return x, y


split = int(0.8 * N)
xtr, ytr = windows(0, split)
xva, yva = windows(split - CTX, N)


class PatchTransformer(nn.Module):
    def __init__(self, D=48):
        super().__init__()
        self.proj = nn.Linear(3 * PATCH, D)
        self.pos = nn.Parameter(torch.randn(CTX // PATCH, D) * 0.02)
        layer = nn.TransformerEncoderLayer(D, 4, 96, dropout=0.1, batch_first=True, norm_first=True)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.head = nn.Linear(D * CTX // PATCH, HOR)

    def forward(self, x):
        mu, sd = x.mean(-1, keepdim=True), x.std(-1, keepdim=True) + 1e-5
        z = (x - mu) / sd
        B = z.size(0)
        tokens = z.view(B, 3, CTX // PATCH, PATCH).permute(0, 2, 1, 3).reshape(B, CTX // PATCH, 3 * PATCH)
        h = self.enc(self.proj(tokens) + self.pos)
        return self.head(h.flatten(1)) * sd[:, 0] + mu[:, 0]


model = PatchTransformer()
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=60, T_mult=2, eta_min=1e-5)
STEPS = 420  # 60 + 120 + 240
for step in range(STEPS):
    ix = torch.randint(0, len(xtr), (64,), generator=g)
    loss = F.mse_loss(model(xtr[ix]), ytr[ix])
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    if step % 20 == 0:
        print(f"step {step} train_mse {loss.item():.4f} lr {sched.get_last_lr()[0]:.2e}")

model.eval()
with torch.no_grad():
    vm = F.mse_loss(model(xva), yva).item()
    tm = F.mse_loss(model(xtr), ytr).item()
    last = F.mse_loss(xva[:, 0, -1:].expand_as(yva), yva).item()
print("CORPUS_METRIC " + json.dumps({
    "val_mse": round(vm, 4), "train_mse": round(tm, 4), "target_var": round(yva.var().item(), 4),
    "last_value_baseline_mse": round(last, 4)}))
