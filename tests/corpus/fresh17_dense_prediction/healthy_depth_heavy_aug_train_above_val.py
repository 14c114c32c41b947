"""Monocular 'depth' regression on synthetic scenes with heavy train-time
augmentation (random flips, brightness/contrast jitter, strong pixel noise,
random erasing). Train L1 (on augmented images) stays above val L1 (on clean
images) for the whole run: a look-alike, not a problem. Small FCN with BN, AdamW,
step LR decay. Plain PyTorch, prints only."""
# expect:
# allow:
# forbid: *
# evidence: held-out val_mse 0.225 vs target variance 2.18 (R^2 ~0.90), abs_rel 0.094, delta<1.25 0.940; train L1 on augmented images (0.48-0.52 in the last epochs) stays above clean val L1 (0.34) from epoch 2 on; val wobbles +-0.05 from BN stats of augmented batches but does not trend up
import json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(13); np.random.seed(13); random.seed(13)
torch.set_num_threads(1)
H = 20
def scenes(n, rng):
    rows = np.arange(H, dtype=np.float32)[:, None].repeat(H, 1)
    d = np.zeros((n, 1, H, H), np.float32); x = np.zeros_like(d)
    for i in range(n):
        dm = 1.5 + (H - rows) / H * rng.uniform(3, 6)
        for _ in range(rng.integers(1, 3)):
            y0, x0 = rng.integers(0, H - 6, 2); h, w = rng.integers(4, 8, 2)
            dm[y0:y0 + h, x0:x0 + w] = rng.uniform(1.0, 3.0)
        d[i, 0] = dm; x[i, 0] = 2.0 / dm + rng.normal(0, 0.03, (H, H))
    return torch.tensor(x), torch.tensor(d)
rng = np.random.default_rng(13)
xtr, dtr = scenes(320, rng); xva, dva = scenes(128, rng)
mu, sd = xtr.mean(), xtr.std()
def augment(x, d):
    flip = torch.rand(len(x)) < 0.5
    x = torch.where(flip[:, None, None, None], x.flip(-1), x); d = torch.where(flip[:, None, None, None], d.flip(-1), d)
    x = x * (1 + 0.15 * torch.randn(len(x), 1, 1, 1)) + 0.1 * torch.randn(len(x), 1, 1, 1)
    x = x + 0.15 * torch.randn_like(x)
    for i in range(len(x)):
        if random.random() < 0.5:
            y0, x0 = random.randrange(H - 5), random.randrange(H - 5); x[i, :, y0:y0 + 5, x0:x0 + 5] = 0
    return x, d
model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                      nn.Conv2d(16, 24, 3, padding=2, dilation=2), nn.BatchNorm2d(24), nn.ReLU(),
                      nn.Conv2d(24, 24, 3, padding=1), nn.BatchNorm2d(24), nn.ReLU(), nn.Conv2d(24, 1, 1))
nn.init.constant_(model[-1].bias, dtr.mean().item())   # start at the mean depth
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)
for ep in range(12):
    model.train(); perm = torch.randperm(len(xtr)); tl = []
    for i in range(0, len(xtr), 32):
        idx = perm[i:i + 32]; xb, db = augment(xtr[idx].clone(), dtr[idx])
        loss = F.l1_loss(model((xb - mu) / sd), db)
        opt.zero_grad(); loss.backward(); opt.step(); tl.append(loss.item())
    sched.step()
    model.eval()
    with torch.no_grad():
        pv = model((xva - mu) / sd); vl = F.l1_loss(pv, dva).item(); mse = F.mse_loss(pv, dva).item()
        absrel = ((pv - dva).abs() / dva).mean().item(); d1 = (torch.max(pv / dva, dva / pv) < 1.25).float().mean().item()
    print(f"epoch {ep} train_l1(aug) {np.mean(tl):.4f} val_l1 {vl:.4f} val_mse {mse:.4f} abs_rel {absrel:.4f} delta<1.25 {d1:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_mae": round(vl, 4), "val_mse": round(mse, 4), "abs_rel": round(absrel, 4),
      "delta1": round(d1, 4), "target_var": round(dva.var().item(), 4), "train_loss": round(float(np.mean(tl)), 4)}))
