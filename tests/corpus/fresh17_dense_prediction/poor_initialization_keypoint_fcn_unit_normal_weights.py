"""Keypoint heatmap regression (find the bright tip of a synthetic bar) with a
6-layer plain FCN (no normalisation). Planted: a 'custom init' calls
nn.init.normal_(w, 0, 1) on every conv weight (std 1 instead of ~sqrt(2/fan_in)
~0.1), so activation scale grows ~10x per layer at the start (probe printed).
--control keeps PyTorch's default init; everything else identical."""
# expect: poor_initialization
# allow: exploding_gradients, non_convergence, learning_rate_too_high, non_finite, dead_units, high_bias
# forbid: *
# evidence: planted (conv weights N(0,1)): activation std at init grows 0.78 -> 6.2 -> 43 -> 336 -> 2.7e3 -> 2.7e4 -> 6.1e4 layer by layer; heatmap MSE starts at 6.7e9 and is still 2.8e8 after 12 epochs, mae_px 3.68, pck@2px 0.211; control (default init: act std 0.27 -> 0.001, no growth): val_mse 0.0012, mae_px 0.133, pck@2px 1.000 (random guess ~7.3 px)
# control: --control
import sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(22); np.random.seed(22); random.seed(22)
torch.set_num_threads(1)
CONTROL = "--control" in sys.argv
H = 20
yy, xx = np.mgrid[0:H, 0:H]
def make(n, rng):
    x = rng.normal(0, 0.2, (n, 1, H, H)).astype(np.float32); hm = np.zeros_like(x); kp = np.zeros((n, 2), np.float32)
    for i in range(n):
        ky, kx = rng.integers(3, H - 3, 2); ang = rng.uniform(0, 2 * np.pi)
        for t in np.linspace(1, 6, 11):
            by, bx = int(round(ky - t * np.sin(ang))), int(round(kx - t * np.cos(ang)))
            if 0 <= by < H and 0 <= bx < H: x[i, 0, by, bx] += 0.6
        x[i, 0] += 1.2 * np.exp(-((yy - ky) ** 2 + (xx - kx) ** 2) / 2.0)
        hm[i, 0] = np.exp(-((yy - ky) ** 2 + (xx - kx) ** 2) / (2 * 1.5 ** 2)); kp[i] = (ky, kx)
    return torch.tensor(x), torch.tensor(hm), torch.tensor(kp)
rng = np.random.default_rng(22)
xtr, htr, ktr = make(320, rng); xva, hva, kva = make(128, rng)
layers = []; c = 1
for i in range(6):
    layers += [nn.Conv2d(c, 16, 3, padding=1), nn.ReLU()]; c = 16
layers.append(nn.Conv2d(16, 1, 1))
model = nn.Sequential(*layers)
if not CONTROL:
    for m in model:
        if isinstance(m, nn.Conv2d): nn.init.normal_(m.weight, 0.0, 1.0); nn.init.zeros_(m.bias)
with torch.no_grad():
    h = xva; stds = []
    for m in model:
        h = m(h)
        if isinstance(m, nn.Conv2d): stds.append(h.std().item())
print("activation std after each conv at init (input std %.2f): " % xva.std().item() + " ".join(f"{s:.3g}" for s in stds))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
def decode(h):
    idx = h.flatten(1).argmax(1); return torch.stack([idx // H, idx % H], 1).float()
for ep in range(12):
    model.train(); perm = torch.randperm(len(xtr)); tl = []
    for i in range(0, len(xtr), 32):
        idx = perm[i:i + 32]; loss = F.mse_loss(model(xtr[idx]), htr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tl.append(loss.item())
    model.eval()
    with torch.no_grad():
        pv = model(xva); vl = F.mse_loss(pv, hva).item(); err = (decode(pv[:, 0]) - kva).norm(dim=1)
        mae_px = err.mean().item(); pck2 = (err <= 2).float().mean().item()
    if ep % 3 == 0 or ep == 11:
        print(f"epoch {ep} train_mse {np.mean(tl):.5g} val_mse {vl:.5g} mae_px {mae_px:.2f} pck@2px {pck2:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 6), "mae_px": round(mae_px, 3), "pck@2px": round(pck2, 4),
      "train_loss": round(float(np.mean(tl)), 6), "chance_mae_px": 7.3, "init_act_std_per_layer": [round(s, 4) for s in stds]}))
