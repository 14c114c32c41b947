"""Healthy: Hugging Face Accelerate, 1-D CNN estimating heart rate (bpm) from synthetic ECG-like strips.

8-second strips at 40 Hz: sharp QRS-like spikes plus a smaller T wave at a rate of 45-180 bpm
with beat-to-beat jitter, baseline wander, amplitude changes and noise. The target (bpm) is
standardised for training ((bpm - mean) / std of the train split) and mapped back for reporting;
the strips are z-scored per strip. Conv1d stack + global average pooling, AdamW + OneCycleLR,
trained through an Accelerator. Own CSV log (epoch, train_loss, val_loss, val_mae_bpm, lr).
"""
# expect:
# allow:
# forbid: *
# evidence: val MAE 1.4 bpm vs 31 bpm for predicting the train mean (val MSE 3.2 vs target variance 1339 bpm^2, R^2 0.998); standardised val_loss 0.0021 ~ train 0.0020; val curve a bit noisy at the one-cycle lr peak
# native-log: ecg_log.csv
# log-expect:
# log-allow:
import os, sys, csv, json, random, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.set_num_threads(1)
random.seed(19); np.random.seed(19); torch.manual_seed(19)
from accelerate import Accelerator
from accelerate.utils import set_seed
set_seed(19)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="f11_ecg_")
os.makedirs(LOG_DIR, exist_ok=True)

rng = np.random.default_rng(19)
FS, SEC = 40, 8
T = FS * SEC
t = np.arange(T) / FS


def make(n):
    bpm = rng.uniform(45, 180, n)
    x = np.zeros((n, T))
    for i in range(n):
        rr = 60 / bpm[i]
        beat = rng.uniform(-rr, 0)
        while beat < SEC + rr:
            amp = rng.uniform(0.8, 1.2)
            x[i] += amp * np.exp(-((t - beat) / 0.025) ** 2) + 0.25 * amp * np.exp(-((t - beat - 0.3 * rr ** 0.5) / 0.08) ** 2)
            beat += rr * (1 + rng.normal(0, 0.03))
        x[i] += 0.3 * np.sin(2 * np.pi * rng.uniform(0.1, 0.4) * t + rng.uniform(0, 6.3))  # baseline wander
        x[i] += 0.08 * rng.normal(size=T)
    x = (x - x.mean(1, keepdims=True)) / x.std(1, keepdims=True)
    return torch.tensor(x[:, None, :], dtype=torch.float32), torch.tensor(bpm, dtype=torch.float32)


Xtr, bpm_tr = make(1000)
Xva, bpm_va = make(300)
mu, sd = bpm_tr.mean(), bpm_tr.std()
ytr, yva = (bpm_tr - mu) / sd, (bpm_va - mu) / sd

model = nn.Sequential(
    nn.Conv1d(1, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(2),
    nn.Conv1d(16, 32, 7, padding=3), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
    nn.Conv1d(32, 32, 7, padding=6, dilation=2), nn.BatchNorm1d(32), nn.ReLU(),
    nn.Conv1d(32, 32, 7, padding=12, dilation=4), nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 1))
EPOCHS = 12
accelerator = Accelerator(cpu=True)
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-3)
train_dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=32, shuffle=True)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=5e-3, total_steps=EPOCHS * len(train_dl))
model, opt, train_dl, sched = accelerator.prepare(model, opt, train_dl, sched)
fh = open(os.path.join(LOG_DIR, "ecg_log.csv"), "w", newline="")
w = csv.writer(fh); w.writerow(["epoch", "train_loss", "val_loss", "val_mae_bpm", "lr"])
for epoch in range(EPOCHS):
    model.train(); tot = n = 0
    for xb, yb in train_dl:
        loss = F.mse_loss(model(xb).squeeze(-1), yb)
        opt.zero_grad(); accelerator.backward(loss); opt.step(); sched.step()
        tot += loss.item() * len(yb); n += len(yb)
    model.eval()
    with torch.no_grad():
        pv = model(Xva).squeeze(-1)
    vl = F.mse_loss(pv, yva).item(); mae = (pv * sd + mu - bpm_va).abs().mean().item()
    w.writerow([epoch, f"{tot/n:.6f}", f"{vl:.6f}", f"{mae:.4f}", f"{sched.get_last_lr()[0]:.6g}"]); fh.flush()
    print(f"epoch {epoch} train {tot/n:.4f} val {vl:.4f} mae {mae:.2f} bpm")
fh.close()
with torch.no_grad():
    tl = F.mse_loss(model(Xtr).squeeze(-1), ytr).item()
mse_bpm = float(((pv * sd + mu - bpm_va) ** 2).mean())
print("CORPUS_METRIC " + json.dumps({"val_mae_bpm": round(mae, 3), "val_mse_bpm2": round(mse_bpm, 2), "target_var_bpm2": round(float(bpm_va.var()), 2),
                                     "mean_predictor_mae_bpm": round(float((bpm_va - mu).abs().mean()), 2),
                                     "val_loss_std_units": round(vl, 4), "train_loss_std_units": round(tl, 4)}))
