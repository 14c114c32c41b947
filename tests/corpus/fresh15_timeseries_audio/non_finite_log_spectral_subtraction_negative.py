"""Audio-event classification (steady tone / up-chirp / down-chirp / noise burst) from log-power
spectrograms computed with torch.stft. The author 'denoises' with spectral subtraction (power minus
a per-bin noise estimate) and then takes torch.log: bins where the subtraction goes negative give NaN,
so the loss is NaN. --control clamps the subtracted power at a spectral floor (1% of the noise estimate) before the log."""
# expect: non_finite
# allow: non_convergence, high_bias, exploding_gradients
# forbid: *
# evidence: planted: 71% of the log-spectrogram bins are NaN, train/val loss NaN from epoch 0, 1316 NaN weights after training, val_acc 0.237 (chance 0.25); control (spectral floor before the log): val_loss 0.849, val_acc 0.617, no NaN
# control: --control
import os, sys, json, random, tempfile, math
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
SR, DUR = 4000, 0.5; n = int(SR * DUR); tt = torch.arange(n) / SR
def clip(c):
    f0 = random.uniform(300, 1500)
    if c == 0: x = torch.sin(2 * math.pi * f0 * tt)
    elif c == 1: x = torch.sin(2 * math.pi * (f0 * tt + 800 * tt ** 2))
    elif c == 2: x = torch.sin(2 * math.pi * (f0 + 800) * tt - 2 * math.pi * 800 * tt ** 2)
    else:
        x = torch.zeros(n); s = random.randint(0, n - 400); x[s:s + 400] = torch.randn(400) * 2
    return 0.5 * x * random.uniform(0.5, 1.5) + 0.3 * torch.randn(n)
def dataset(m):
    y = torch.randint(0, 4, (m,)); return torch.stack([clip(int(c)) for c in y]), y
Xtr, ytr = dataset(480); Xva, yva = dataset(240)
win = torch.hann_window(256)
noise_est = (torch.stft(0.3 * torch.randn(64, n), 256, 128, window=win, return_complex=True).abs() ** 2).mean(dim=(0, 2))  # per-bin noise power
def features(x):
    p = torch.stft(x, 256, 128, window=win, return_complex=True).abs() ** 2      # (B, 129, frames)
    p = p - 1.5 * noise_est[None, :, None]                                        # spectral subtraction
    if CONTROL: p = torch.maximum(p, 0.01 * noise_est[None, :, None])  # spectral floor
    return torch.log(p).unsqueeze(1)
Ftr, Fva = features(Xtr), features(Xva)
print(f"feature NaN fraction train {torch.isnan(Ftr).float().mean().item():.3f}")
if CONTROL:
    mu, sd = Ftr.mean(), Ftr.std(); Ftr, Fva = (Ftr - mu) / sd, (Fva - mu) / sd
else:
    mu, sd = Ftr.nanmean(), Ftr[~torch.isnan(Ftr)].std(); Ftr, Fva = (Ftr - mu) / sd, (Fva - mu) / sd  # nan-aware stats hide the problem
model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 4))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
for epoch in range(6):
    model.train(); perm = torch.randperm(len(Ftr)); tl = 0.0
    for i in range(0, len(Ftr), 32):
        idx = perm[i:i + 32]; loss = F.cross_entropy(model(Ftr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        out = model(Fva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    print(f"epoch {epoch} train_loss {tl / len(Ftr):.4f} val_loss {vl:.4f} val_acc {va:.3f}")
nan_w = sum(torch.isnan(p).sum().item() for p in model.parameters())
print(f"NaN weights after training: {nan_w}")
fin = lambda v: round(v, 4) if math.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({"val_loss": fin(vl), "val_acc": round(va, 4), "train_loss": fin(tl / len(Ftr)), "chance_acc": 0.25, "nan_weights": nan_w}))
