# expect:
# allow:
# forbid: *
# evidence: best (restored) val_mse 0.088 on standardised targets (target var 1.04, seasonal-naive 0.85), train_mse 0.088; early stop at epoch 13
"""Multi-horizon forecaster for a noisy seasonal series (24-step and 60-step cycles plus AR(1)
noise): a causal dilated Conv1d stack (TCN-style, residual, GELU) reads 64 past steps and
predicts the next 12. Inputs are standardised with train-split statistics. AdamW + OneCycleLR,
early stopping with patience 4 on the chronological validation split, restoring the best
weights. Because the series has irreducible AR noise, the train loss plateaus well above 0 and
the validation curve is noisy; that is expected. Baselines printed for reference: the
seasonal-naive forecast (value one 24-step cycle earlier) and the target variance.
"""
import copy
import json
import math

import torch
from torch import nn
from torch.nn import functional as F

torch.set_num_threads(1)
torch.manual_seed(12)
g = torch.Generator().manual_seed(12)

N, CTX, HOR, DAY, LONG = 3000, 64, 12, 24, 60
t = torch.arange(N).float()
noise = torch.zeros(N)
eps = torch.randn(N, generator=g) * 0.3
for i in range(1, N):
    noise[i] = 0.7 * noise[i - 1] + eps[i]
series = 10 + 2 * torch.sin(2 * math.pi * t / DAY) + 1.0 * torch.sin(2 * math.pi * t / LONG) + noise

split = int(0.8 * N)
mu, sd = series[:split].mean(), series[:split].std()
z = (series - mu) / sd


def windows(lo, hi):
    idx = torch.arange(lo, hi - CTX - HOR)
    x = torch.stack([z[i:i + CTX] for i in idx])
    y = torch.stack([z[i + CTX:i + CTX + HOR] for i in idx])
    naive = torch.stack([z[i + CTX - DAY:i + CTX + HOR - DAY] for i in idx])
    return x.unsqueeze(1), y, naive


xtr, ytr, _ = windows(0, split)
xva, yva, nva = windows(split - CTX, N)


class TCN(nn.Module):
    def __init__(self, ch=24):
        super().__init__()
        self.inp = nn.Conv1d(1, ch, 1)
        self.convs = nn.ModuleList([nn.Conv1d(ch, ch, 3, dilation=d) for d in (1, 2, 4, 8)])
        self.head = nn.Linear(ch * 4, HOR)

    def forward(self, x):
        h = self.inp(x)
        for c in self.convs:
            h = h + F.gelu(c(F.pad(h, (2 * c.dilation[0], 0))))  # causal padding
        return self.head(h[:, :, -4:].flatten(1))


model = TCN()
EPOCHS, BS = 25, 64
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-2)
steps_per_epoch = math.ceil(len(xtr) / BS)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=EPOCHS * steps_per_epoch)
best, best_state, bad = float("inf"), None, 0
for epoch in range(EPOCHS):
    perm = torch.randperm(len(xtr))
    tot = 0.0
    for i in range(0, len(xtr), BS):
        ix = perm[i:i + BS]
        loss = F.mse_loss(model(xtr[ix]), ytr[ix])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        tot += loss.item() * len(ix)
    with torch.no_grad():
        vl = F.mse_loss(model(xva), yva).item()
    print(f"epoch {epoch} train_mse {tot / len(xtr):.4f} val_mse {vl:.4f}")
    if vl < best - 1e-4:
        best, best_state, bad = vl, copy.deepcopy(model.state_dict()), 0
    else:
        bad += 1
        if bad >= 4:
            print(f"early stopping at epoch {epoch}, best val_mse {best:.4f}")
            break
model.load_state_dict(best_state)
with torch.no_grad():
    vl = F.mse_loss(model(xva), yva).item()
    tl = F.mse_loss(model(xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({
    "val_mse": round(vl, 4), "train_mse": round(tl, 4), "target_var": round(yva.var().item(), 4),
    "seasonal_naive_mse": round(F.mse_loss(nva, yva).item(), 4)}))
