# expect:
# allow:
# forbid: *
# evidence: val_mse 0.065 (standardised units) vs target var 0.83, seasonal-naive 0.172, noise floor 0.032; train_mse 0.046
"""Univariate load forecasting: daily+weekly seasonality with trend and noise.
Sliding windows of 48 steps -> predict next 6 steps. LSTM, Adam, ReduceLROnPlateau, gradient clipping.
Chronological split (train on the first 75%, validate on the rest)."""
import json
import math
import torch
import torch.nn as nn

torch.manual_seed(1)
torch.set_num_threads(1)

T = 3000
t = torch.arange(T, dtype=torch.float32)
series = (10 + 0.002 * t + 3 * torch.sin(2 * math.pi * t / 24) + 1.5 * torch.sin(2 * math.pi * t / 168)
          + 0.8 * torch.sin(2 * math.pi * t / 12 + 1.0) + 0.5 * torch.randn(T))
cut = int(0.75 * T)
mu, sd = series[:cut].mean(), series[:cut].std()
z = (series - mu) / sd

LOOKBACK, HORIZON = 48, 6


def windows(x):
    idx = torch.arange(len(x) - LOOKBACK - HORIZON + 1)
    X = torch.stack([x[i:i + LOOKBACK] for i in idx]).unsqueeze(-1)
    Y = torch.stack([x[i + LOOKBACK:i + LOOKBACK + HORIZON] for i in idx])
    return X, Y


Xtr, Ytr = windows(z[:cut])
Xva, Yva = windows(z[cut - LOOKBACK:])


class Forecaster(nn.Module):
    def __init__(self, hidden=48):
        super().__init__()
        self.lstm = nn.LSTM(1, hidden, batch_first=True)
        self.head = nn.Linear(hidden, HORIZON)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])


net = Forecaster()
opt = torch.optim.Adam(net.parameters(), lr=3e-3)
plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
loss_fn = nn.MSELoss()

for epoch in range(14):
    net.train()
    order = torch.randperm(len(Xtr))
    acc = 0.0
    for j in range(0, len(order), 64):
        b = order[j:j + 64]
        loss = loss_fn(net(Xtr[b]), Ytr[b])
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        acc += loss.item() * len(b)
    net.eval()
    with torch.no_grad():
        val = loss_fn(net(Xva), Yva).item()
    plateau.step(val)
    print(f"epoch {epoch} train_mse {acc / len(Xtr):.4f} val_mse {val:.4f} lr {opt.param_groups[0]['lr']:.1e}")

with torch.no_grad():
    train_mse = loss_fn(net(Xtr), Ytr).item()
    naive = loss_fn(Xva[:, -24:-24 + HORIZON, 0], Yva).item()  # seasonal-naive (same hour yesterday)
noise_floor = (0.5 / sd.item()) ** 2
print(f"seasonal naive val_mse {naive:.4f}, noise floor {noise_floor:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(val, 5), "train_mse": round(train_mse, 5), "val_loss": round(val, 5),
                                      "train_loss": round(train_mse, 5), "target_var": round(Yva.var().item(), 4),
                                      "seasonal_naive_mse": round(naive, 4), "noise_floor_mse": round(noise_floor, 4)}))
