"""Binary segmentation of synthetic shapes with a deep plain fully-convolutional
net: 12 conv layers of 3x3, sigmoid activations (an old 'classic' recipe), no
normalisation, no skips. Gradients shrink by orders of magnitude toward the
input. Planted: no normalisation. --control inserts BatchNorm2d before every
sigmoid (nothing else changes). Per-layer gradient-norm probe printed."""
# expect: vanishing_gradients
# allow: non_convergence, saturated_activations, poor_initialization, class_imbalance, high_bias
# forbid: *
# evidence: planted: per-layer weight-grad norm over the first 8 steps falls from 2.5e-1 (head) to 1.1e-11 (conv1), ~10x per layer; conv1 at 1.8e-15 by epoch 9; loss stalls at 0.444 (= predicting the 16% fg prior), val iou 0.000; control (BatchNorm before each sigmoid, same Adam lr=1e-2): conv1 grad 1.7e-2 vs head 0.46 at the start, val_loss 0.109, iou 0.914, dice 0.955
# control: --control
import sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(15); np.random.seed(15); random.seed(15)
torch.set_num_threads(1)
CONTROL = "--control" in sys.argv
H = 16
yy, xx = np.mgrid[0:H, 0:H]
def make(n, rng):
    x = rng.normal(0, 0.3, (n, 1, H, H)).astype(np.float32); m = np.zeros_like(x)
    for i in range(n):
        cx, cy, r = rng.integers(4, H - 4), rng.integers(4, H - 4), rng.integers(2, 5)
        s = ((xx - cx) ** 2 + (yy - cy) ** 2 <= r * r) if rng.random() < 0.5 else ((abs(xx - cx) <= r) & (abs(yy - cy) <= r))
        m[i, 0][s] = 1
    x += m * 1.0
    return torch.tensor(x), torch.tensor(m)
rng = np.random.default_rng(15)
xtr, mtr = make(256, rng); xva, mva = make(96, rng)
layers = []; c = 1
for i in range(12):
    layers.append(nn.Conv2d(c, 12, 3, padding=1)); c = 12
    if CONTROL: layers.append(nn.BatchNorm2d(12))
    layers.append(nn.Sigmoid())
layers.append(nn.Conv2d(12, 1, 1))
model = nn.Sequential(*layers)
convs = [m for m in model if isinstance(m, nn.Conv2d)]
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
gn_hist = []
for ep in range(10):
    model.train(); perm = torch.randperm(len(xtr)); tl = []
    for i in range(0, len(xtr), 32):
        idx = perm[i:i + 32]; loss = F.binary_cross_entropy_with_logits(model(xtr[idx]), mtr[idx])
        opt.zero_grad(); loss.backward()
        gn_hist.append([cv.weight.grad.norm().item() for cv in convs])
        opt.step(); tl.append(loss.item())
    model.eval()
    with torch.no_grad():
        lv = model(xva); vl = F.binary_cross_entropy_with_logits(lv, mva).item()
        p = (lv > 0).float(); inter = (p * mva).sum()
        iou = (inter / ((p + mva) > 0).float().sum().clamp(min=1)).item(); dice = (2 * inter / (p.sum() + mva.sum()).clamp(min=1)).item()
    g = np.mean(gn_hist[-8:], 0)
    print(f"epoch {ep} train_loss {np.mean(tl):.4f} val_loss {vl:.4f} iou {iou:.3f} dice {dice:.3f} grad_norm conv1 {g[0]:.2e} conv6 {g[5]:.2e} conv12 {g[11]:.2e} head {g[12]:.2e}")
g0 = np.mean(gn_hist[:8], 0)
print("per-layer weight-grad norm, first 8 steps (input -> output): " + " ".join(f"{v:.1e}" for v in g0))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "iou": round(iou, 4), "dice": round(dice, 4), "train_loss": round(float(np.mean(tl)), 4),
      "fg_fraction": round(mva.mean().item(), 4), "grad_norm_conv1": float(g[0]), "grad_norm_head": float(g[12]),
      "grad_ratio_conv1_over_head": float(g[0] / g[12])}))
