# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (Adam lr=1e-5): val_mse 1.162 after 300 steps, creeping down ~0.02 per 50 steps (target var 1.124, repeat-last-value 1.145); control (lr=2e-3): val_mse 0.297, train mse 0.20
# control: --control
"""Temporal convolutional network (causal dilated Conv1d, residual blocks, weight-norm-free) that
forecasts the next 8 values of a synthetic multi-seasonal series with AR(1) noise from a 48-step
window.  MSE on standardised values.  The optimiser was set up with lr=1e-5 (a leftover from a
fine-tuning experiment), so after 300 Adam steps the forecaster has barely left its initial
state.  --control uses lr=2e-3; nothing else changes."""
import json
import math
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(3)

LR = 2e-3 if "--control" in sys.argv else 1e-5
WINDOW, HORIZON = 48, 8
STEPS, BATCH = 300, 64


def synth_series(n, gen):
    t = torch.arange(n).float()
    noise = torch.zeros(n)
    eps = 0.25 * torch.randn(n, generator=gen)
    for i in range(1, n):
        noise[i] = 0.8 * noise[i - 1] + eps[i]
    return torch.sin(2 * math.pi * t / 37) + 0.5 * torch.sin(2 * math.pi * t / 11 + 1.0) + noise


gen = torch.Generator().manual_seed(11)
series = synth_series(6000, gen)
split = 5000
mu, sd = series[:split].mean(), series[:split].std()
series = (series - mu) / sd


def windows(s):
    idx = torch.arange(len(s) - WINDOW - HORIZON + 1)
    x = torch.stack([s[i:i + WINDOW] for i in idx])
    y = torch.stack([s[i + WINDOW:i + WINDOW + HORIZON] for i in idx])
    return x.unsqueeze(1), y


x_tr, y_tr = windows(series[:split])
x_va, y_va = windows(series[split:])


class CausalConv(nn.Conv1d):
    def __init__(self, cin, cout, k, dilation):
        super().__init__(cin, cout, k, dilation=dilation)
        self.left = (k - 1) * dilation

    def forward(self, x):
        return super().forward(F.pad(x, (self.left, 0)))


class TemporalBlock(nn.Module):
    def __init__(self, cin, cout, dilation):
        super().__init__()
        self.c1 = CausalConv(cin, cout, 3, dilation)
        self.c2 = CausalConv(cout, cout, 3, dilation)
        self.skip = nn.Conv1d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x):
        h = F.relu(self.c1(x))
        h = F.relu(self.c2(h))
        return F.relu(h + self.skip(x))


class TCN(nn.Module):
    def __init__(self, ch=24):
        super().__init__()
        self.blocks = nn.Sequential(TemporalBlock(1, ch, 1), TemporalBlock(ch, ch, 2),
                                    TemporalBlock(ch, ch, 4), TemporalBlock(ch, ch, 8))
        self.head = nn.Linear(ch, HORIZON)

    def forward(self, x):
        return self.head(self.blocks(x)[:, :, -1])


model = TCN()
opt = torch.optim.Adam(model.parameters(), lr=LR)


def val_mse():
    model.eval()
    with torch.no_grad():
        m = F.mse_loss(model(x_va), y_va).item()
    model.train()
    return m


for step in range(1, STEPS + 1):
    idx = torch.randint(0, len(x_tr), (BATCH,), generator=gen)
    loss = F.mse_loss(model(x_tr[idx]), y_tr[idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 50 == 0:
        print(f"step {step}: train_mse={loss.item():.4f} val_mse={val_mse():.4f}")

with torch.no_grad():
    train_mse = F.mse_loss(model(x_tr[:1000]), y_tr[:1000]).item()
    naive = F.mse_loss(x_va[:, 0, -1:].expand(-1, HORIZON), y_va).item()  # repeat-last-value forecast
print("CORPUS_METRIC " + json.dumps({
    "val_mse": round(val_mse(), 4), "train_loss": round(train_mse, 4),
    "target_var": round(y_va.var().item(), 4), "naive_last_value_mse": round(naive, 4)}))
