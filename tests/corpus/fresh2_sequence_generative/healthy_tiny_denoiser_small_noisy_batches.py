# expect:
# allow:
# forbid: *
# evidence: val MSE 0.0146 vs 0.159 for the noisy input itself and clean-signal variance 0.597 (train 0.0129); per-step batch loss swings 0.006-0.024 within each 500-step window because batches hold 8 signals, while val MSE falls monotonically
"""Tiny denoising regressor: a 3-layer GELU MLP maps a noisy 48-sample waveform (two harmonics,
random frequency/phase/amplitude, Gaussian noise sigma=0.4) to the clean waveform.  Trained with
AdamW on mini-batches of only 8 signals (so the per-step loss jumps around a lot), cosine lr
decay, weight decay 1e-4.  Printed every 500 steps."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)

N = 48
NOISE = 0.4
STEPS, BATCH, LR = 6000, 8, 1e-3


def waveforms(n, gen):
    t = torch.linspace(0, 1, N)
    f = 1 + 2 * torch.rand(n, 1, generator=gen)
    ph = torch.rand(n, 1, generator=gen) * 2 * math.pi
    a = 0.5 + torch.rand(n, 1, generator=gen)
    clean = a * torch.sin(2 * math.pi * f * t + ph) + 0.3 * a * torch.sin(4 * math.pi * f * t + 2 * ph)
    return clean + NOISE * torch.randn(n, N, generator=gen), clean


gen = torch.Generator().manual_seed(1)
x_train, y_train = waveforms(6000, gen)
x_val, y_val = waveforms(1000, gen)

model = nn.Sequential(nn.Linear(N, 96), nn.GELU(), nn.Linear(96, 96), nn.GELU(), nn.Linear(96, N))
opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=1e-4)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=STEPS, eta_min=LR * 0.02)


def mse(x, y):
    with torch.no_grad():
        return F.mse_loss(model(x), y).item()


window = []
for step in range(1, STEPS + 1):
    idx = torch.randint(0, len(x_train), (BATCH,), generator=gen)
    loss = F.mse_loss(model(x_train[idx]), y_train[idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    window.append(loss.item())
    if step % 500 == 0:
        print(f"step {step}: batch loss {window[-1]:.4f} (min {min(window):.4f}, max {max(window):.4f} "
              f"over last 500) | val mse {mse(x_val, y_val):.4f} | lr {sched.get_last_lr()[0]:.2e}")
        window = []

print("CORPUS_METRIC " + json.dumps({
    "val_mse": round(mse(x_val, y_val), 5), "train_loss": round(mse(x_train[:1000], y_train[:1000]), 5),
    "noisy_input_mse": round(F.mse_loss(x_val, y_val).item(), 5), "target_var": round(y_val.var().item(), 4)}))
