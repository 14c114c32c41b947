# expect:
# allow:
# forbid: *
# evidence: val_mse 0.0586 (standardised; target var 1.09, persistence forecast 0.112, irreducible AR-innovation floor 0.051), train mse 0.0585; val decreases monotonically through warm-up and cosine decay
"""Causal TCN forecaster (residual blocks of dilated causal convs) for a synthetic "sensor" series:
two seasonal components, slowly drifting amplitude, AR(1) noise.  One-step-ahead prediction from a
64-step window, standardised values, MSE.  AdamW (weight decay 1e-2), linear warm-up for 50 steps
then cosine decay to 5% of the peak lr.  Histories kept in a dict and summarised at the end."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(7)

WINDOW = 64
STEPS, WARMUP, PEAK_LR = 400, 50, 3e-3


def sensor_series(n, gen):
    t = torch.arange(n).float()
    amp = 1.0 + 0.3 * torch.sin(2 * math.pi * t / 2000)
    eps = 0.2 * torch.randn(n, generator=gen)
    ar = torch.zeros(n)
    for i in range(1, n):
        ar[i] = 0.7 * ar[i - 1] + eps[i]
    return amp * torch.sin(2 * math.pi * t / 24) + 0.6 * torch.cos(2 * math.pi * t / 90) + ar


gen = torch.Generator().manual_seed(3)
s = sensor_series(7000, gen)
mu, sd = s[:5500].mean(), s[:5500].std()
s = (s - mu) / sd
idx_tr = torch.arange(0, 5500 - WINDOW - 1)
idx_va = torch.arange(5500, 7000 - WINDOW - 1)


def gather(idx):
    x = torch.stack([s[i:i + WINDOW] for i in idx]).unsqueeze(1)
    y = s[idx + WINDOW]
    return x, y


x_tr, y_tr = gather(idx_tr)
x_va, y_va = gather(idx_va)


class CausalBlock(nn.Module):
    def __init__(self, cin, cout, dilation):
        super().__init__()
        self.pad = 2 * dilation
        self.conv1 = nn.Conv1d(cin, cout, 3, dilation=dilation)
        self.conv2 = nn.Conv1d(cout, cout, 3, dilation=dilation)
        self.down = nn.Conv1d(cin, cout, 1) if cin != cout else nn.Identity()
        self.drop = nn.Dropout(0.05)

    def forward(self, x):
        h = self.drop(F.relu(self.conv1(F.pad(x, (self.pad, 0)))))
        h = self.drop(F.relu(self.conv2(F.pad(h, (self.pad, 0)))))
        return F.relu(h + self.down(x))


class TCN(nn.Module):
    def __init__(self, ch=16):
        super().__init__()
        self.net = nn.Sequential(CausalBlock(1, ch, 1), CausalBlock(ch, ch, 2),
                                 CausalBlock(ch, ch, 4), CausalBlock(ch, ch, 8), CausalBlock(ch, ch, 16))
        self.out = nn.Linear(ch, 1)

    def forward(self, x):
        return self.out(self.net(x)[:, :, -1]).squeeze(-1)


model = TCN()
opt = torch.optim.AdamW(model.parameters(), lr=PEAK_LR, weight_decay=1e-2)


def lr_at(step):
    if step < WARMUP:
        return PEAK_LR * (step + 1) / WARMUP
    p = (step - WARMUP) / (STEPS - WARMUP)
    return PEAK_LR * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * p)))


hist = {"train_mse": [], "val_mse": [], "lr": []}
for step in range(STEPS):
    for group in opt.param_groups:
        group["lr"] = lr_at(step)
    b = torch.randint(0, len(x_tr), (32,), generator=gen)
    loss = F.mse_loss(model(x_tr[b]), y_tr[b])
    opt.zero_grad()
    loss.backward()
    opt.step()
    hist["train_mse"].append(loss.item())
    hist["lr"].append(opt.param_groups[0]["lr"])
    if (step + 1) % 50 == 0:
        model.eval()
        with torch.no_grad():
            hist["val_mse"].append(F.mse_loss(model(x_va), y_va).item())
        model.train()

for k, v in enumerate(hist["val_mse"]):
    lo, hi = 50 * k, 50 * (k + 1)
    print(f"steps {lo:3d}-{hi:3d}: train {sum(hist['train_mse'][lo:hi]) / 50:.4f}  val {v:.4f}  lr {hist['lr'][hi - 1]:.2e}")

model.eval()
with torch.no_grad():
    train_mse = F.mse_loss(model(x_tr[:1500]), y_tr[:1500]).item()
    persistence = F.mse_loss(x_va[:, 0, -1], y_va).item()
print("CORPUS_METRIC " + json.dumps({
    "val_mse": round(hist["val_mse"][-1], 4), "train_loss": round(train_mse, 4),
    "target_var": round(y_va.var().item(), 4), "persistence_mse": round(persistence, 4)}))
