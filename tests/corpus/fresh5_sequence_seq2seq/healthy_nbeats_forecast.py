# expect:
# allow:
# forbid: *
# evidence: N-BEATS generic stack; held-out val_mse 0.190 vs target variance 1.77 (R2 0.89) and seasonal-naive 1.12; train_mse 0.173
"""N-BEATS-style (generic blocks, doubly residual stacking) univariate forecaster.

Synthetic series: sum of two seasonalities with random phase/amplitude + a random-walk trend
+ noise. Windows are instance-normalised (subtract the last value, divide by the window's
std) like most practical forecasting pipelines. Metric: held-out MSE of the normalised
horizon vs the variance of that target and vs a seasonal-naive forecast.
"""
import json
import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(1)
rs = np.random.RandomState(4)
torch.manual_seed(4)

BACK, H = 48, 12


def series(n):
    t = np.arange(n)
    s = (rs.uniform(0.5, 2) * np.sin(2 * np.pi * t / 12 + rs.uniform(0, 6.3))
         + rs.uniform(0.2, 1) * np.sin(2 * np.pi * t / 24 + rs.uniform(0, 6.3))
         + np.cumsum(rs.randn(n) * 0.1) + rs.randn(n) * 0.25)
    return s.astype(np.float32)


def windows(n_series, per):
    X, Y = [], []
    for _ in range(n_series):
        s = series(BACK + H + per)
        for k in range(per):
            x, y = s[k:k + BACK], s[k + BACK:k + BACK + H]
            last, sd = x[-1], x.std() + 1e-3
            X.append((x - last) / sd); Y.append((y - last) / sd)
    return torch.tensor(np.array(X)), torch.tensor(np.array(Y))


Xtr, Ytr = windows(200, 30)
Xva, Yva = windows(60, 10)


class Block(nn.Module):
    def __init__(self, width=128):
        super().__init__()
        self.fc = nn.Sequential(nn.Linear(BACK, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(),
                                nn.Linear(width, width), nn.ReLU())
        self.theta_b = nn.Linear(width, BACK)
        self.theta_f = nn.Linear(width, H)

    def forward(self, x):
        h = self.fc(x)
        return self.theta_b(h), self.theta_f(h)


class NBeats(nn.Module):
    def __init__(self, n_blocks=4):
        super().__init__()
        self.blocks = nn.ModuleList(Block() for _ in range(n_blocks))

    def forward(self, x):
        resid, fc = x, 0.0
        for b in self.blocks:
            back, f = b(resid)
            resid = resid - back
            fc = fc + f
        return fc


net = NBeats()
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)
mse = nn.MSELoss()
for epoch in range(12):
    perm = torch.randperm(len(Xtr))
    net.train()
    run = 0.0
    for i in range(0, len(perm), 128):
        idx = perm[i:i + 128]
        loss = mse(net(Xtr[idx]), Ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        run += loss.item() * len(idx)
    sched.step()
    net.eval()
    with torch.no_grad():
        vm = mse(net(Xva), Yva).item()
    print(f"epoch {epoch:2d} train_mse {run/len(Xtr):.4f} val_mse {vm:.4f}")

with torch.no_grad():
    tm = mse(net(Xtr), Ytr).item()
snaive = mse(Xva[:, BACK - 12:BACK], Yva).item()  # repeat last season
var = Yva.var().item()
print(f"seasonal-naive val_mse {snaive:.4f}; target variance {var:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm, 4), "train_mse": round(tm, 4), "target_var": round(var, 4),
                                     "val_r2": round(1 - vm / var, 4), "seasonal_naive_mse": round(snaive, 4)}))
