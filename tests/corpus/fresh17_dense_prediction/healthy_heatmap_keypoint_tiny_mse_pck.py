"""Single-keypoint localisation (the tip of a synthetic 'arrow': a bright dot at
the end of a dimmer bar, with a distractor blob) by Gaussian-heatmap regression.
Per-pixel MSE on heatmaps is tiny by construction (~1e-3 and falling), and the
gradients are small, but the keypoint error in pixels drops steadily."""
# expect:
# allow:
# forbid: *
# evidence: held-out mae_px falls 6.91 -> 1.03 (random guess ~9.4 px), pck@2px 0.22 -> 0.953; heatmap MSE is tiny (0.0054) and grad norm drops 1.1 -> 0.02 only because targets are mostly-zero heatmaps; train 0.00524 ~ val 0.00542
import json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(9); np.random.seed(9); random.seed(9)
torch.set_num_threads(1)
H = 24
yy, xx = np.mgrid[0:H, 0:H]
def make(n, rng):
    x = rng.normal(0, 0.2, (n, 1, H, H)).astype(np.float32); hm = np.zeros_like(x); kp = np.zeros((n, 2), np.float32)
    for i in range(n):
        ky, kx = rng.integers(3, H - 3, 2)
        ang = rng.uniform(0, 2 * np.pi)
        for t in np.linspace(1, 7, 13):       # dimmer bar behind the tip
            by, bx = int(round(ky - t * np.sin(ang))), int(round(kx - t * np.cos(ang)))
            if 0 <= by < H and 0 <= bx < H: x[i, 0, by, bx] += 0.6
        x[i, 0] += 1.2 * np.exp(-((yy - ky) ** 2 + (xx - kx) ** 2) / 2.0)
        dy, dx = rng.integers(2, H - 2, 2)
        x[i, 0] += 0.8 * np.exp(-((yy - dy) ** 2 + (xx - dx) ** 2) / 4.0)   # distractor (no bar)
        hm[i, 0] = np.exp(-((yy - ky) ** 2 + (xx - kx) ** 2) / (2 * 1.5 ** 2)); kp[i] = (ky, kx)
    return torch.tensor(x), torch.tensor(hm), torch.tensor(kp)
rng = np.random.default_rng(9)
xtr, htr, ktr = make(320, rng); xva, hva, kva = make(128, rng)

model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                      nn.Conv2d(16, 16, 3, padding=2, dilation=2), nn.BatchNorm2d(16), nn.ReLU(),
                      nn.Conv2d(16, 16, 3, padding=4, dilation=4), nn.BatchNorm2d(16), nn.ReLU(),
                      nn.Conv2d(16, 1, 1))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
def decode(h):
    idx = h.flatten(1).argmax(1)
    return torch.stack([idx // H, idx % H], 1).float()
for ep in range(14):
    model.train(); perm = torch.randperm(len(xtr)); tl = []; gn = []
    for i in range(0, len(xtr), 32):
        idx = perm[i:i + 32]; loss = F.mse_loss(model(xtr[idx]), htr[idx])
        opt.zero_grad(); loss.backward()
        gn.append(torch.norm(torch.stack([p.grad.norm() for p in model.parameters()])).item())
        opt.step(); tl.append(loss.item())
    model.eval()
    with torch.no_grad():
        pv = model(xva); vl = F.mse_loss(pv, hva).item()
        err = (decode(pv[:, 0]) - kva).norm(dim=1)
        mae_px = err.mean().item(); pck2 = (err <= 2).float().mean().item()
    print(f"epoch {ep} train_mse {np.mean(tl):.5f} val_mse {vl:.5f} mae_px {mae_px:.2f} pck@2px {pck2:.3f} grad_norm {np.mean(gn):.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 6), "mae_px": round(mae_px, 3), "pck@2px": round(pck2, 4),
      "train_loss": round(float(np.mean(tl)), 6), "chance_mae_px": 9.4}))
