"""Data mismatch: the forecaster is trained and validated on 20 residential feeders,
then tested on 10 new commercial sites whose daily profile is different (flat nights,
a sharp office-hours block, a weekend drop). --control draws the test sites from the
same generator as the training sites.
GRU forecaster for synthetic hourly load series (daily period 24, weekly-ish
modulation, slow trend, noise), trained on sliding windows (48 h in, next 6 h out)
with per-series scaling, MAE (L1) loss, Adam + ReduceLROnPlateau, gradient clipping.
Compared against the seasonal-naive forecast (value 24 h earlier)."""
# expect: data_mismatch
# allow:
# forbid: *
# evidence: planted: train MAE 0.245, val 0.249, test on new commercial sites 0.440; control (test sites from the training generator): test MAE 0.247
# control: --control
# native-log:
import os, sys, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = tempfile.mkdtemp()   # history kept in a scratch dir only (no native log for this case)
os.makedirs(LOG_DIR, exist_ok=True)
rng = np.random.default_rng(0)
IN, OUT, T = 48, 6, 600


CONTROL = "--control" in sys.argv


def commercial(n):
    t = np.arange(T)
    out = []
    for _ in range(n):
        amp, start = rng.uniform(1, 3), rng.integers(6, 10)
        hour = (t + rng.integers(0, 24)) % 24
        s = 10 + amp * ((hour >= start) & (hour < start + 9)) * 1.0
        s *= np.where(((t // 24) % 7) >= 5, 0.4, 1.0)
        s += rng.normal(0, 0.2, T).cumsum() * 0.05 + rng.normal(0, 0.25, T)
        out.append(s)
    return np.array(out, np.float32)


def series(n):
    t = np.arange(T)
    out = []
    for _ in range(n):
        amp, ph = rng.uniform(0.5, 2), rng.uniform(0, 2 * np.pi)
        s = 10 + amp * np.sin(2 * np.pi * t / 24 + ph) + 0.5 * amp * np.sin(4 * np.pi * t / 24 + 2 * ph)
        s *= 1 + 0.15 * np.sin(2 * np.pi * t / 168)
        s += rng.normal(0, 0.2, T).cumsum() * 0.05 + rng.normal(0, 0.25, T)
        out.append(s)
    return np.array(out, np.float32)


def windows(S, t0, t1):
    xs, ys, naive = [], [], []
    for s in S:
        mu, sd = s[:400].mean(), s[:400].std()                 # scaling from the training period only
        z = (s - mu) / sd
        for t in range(t0, t1 - IN - OUT, 6):
            xs.append(z[t:t + IN]); ys.append(z[t + IN:t + IN + OUT]); naive.append(z[t + IN - 24:t + IN - 24 + OUT])
    return torch.tensor(np.array(xs))[..., None], torch.tensor(np.array(ys)), torch.tensor(np.array(naive))


S = series(20)
Xtr, Ytr, _ = windows(S, 0, 400)
Xva, Yva, Nva = windows(S, 400, T)
S_test = series(10) if CONTROL else commercial(10)       # planted: test sites drawn differently
Xte, Yte, Nte = windows(S_test, 400, T)


class Forecaster(nn.Module):
    def __init__(self, h=32):
        super().__init__()
        self.gru = nn.GRU(1, h, batch_first=True)
        self.head = nn.Linear(h, OUT)

    def forward(self, x):
        _, hN = self.gru(x)
        return self.head(hN[-1])


model = Forecaster()
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
f = open(os.path.join(LOG_DIR, "forecast_log.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["epoch", "train_mae", "val_mae", "lr"])
for epoch in range(12):
    model.train()
    p = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 64):
        idx = p[i:i + 64]
        loss = F.l1_loss(model(Xtr[idx]), Ytr[idx])
        opt.zero_grad(); loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        vm = F.l1_loss(model(Xva), Yva).item()
    sched.step(vm)
    w.writerow([epoch, f"{tot/len(Xtr):.5f}", f"{vm:.5f}", opt.param_groups[0]["lr"]])
    print(f"epoch {epoch:2d} train_mae {tot/len(Xtr):.4f} val_mae {vm:.4f} lr {opt.param_groups[0]['lr']:.1e}")
f.close()
with torch.no_grad():
    tm = F.l1_loss(model(Xte), Yte).item()
    trm = F.l1_loss(model(Xtr), Ytr).item()
print(f"train_mae {trm:.4f} val_mae {vm:.4f} test_mae {tm:.4f}")
print("CORPUS_METRIC " + json.dumps({"train_mae": round(trm, 4), "val_mae": round(vm, 4), "test_mae": round(tm, 4),
                                      "val_seasonal_naive_mae": round(F.l1_loss(Nva, Yva).item(), 4),
                                      "test_seasonal_naive_mae": round(F.l1_loss(Nte, Yte).item(), 4), "target_std": round(Yva.std().item(), 4)}))
