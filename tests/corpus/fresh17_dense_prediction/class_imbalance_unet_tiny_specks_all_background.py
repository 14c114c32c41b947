"""Binary 'defect' segmentation: each 24x24 image holds 1-2 tiny bright specks
(~2.3% of pixels). Plain mean BCE, nothing handles the imbalance, so the U-Net
settles on predicting background everywhere. --control adds pos_weight=neg/pos."""
# expect: class_imbalance
# allow: non_convergence, high_bias
# forbid: *
# evidence: foreground is 2.35% of pixels; planted (plain BCE) predicts 0.0% foreground on val: pixel_acc 0.9765 (= background rate), iou_fg 0.000, dice 0.000, miou 0.488; control (pos_weight=neg/pos) predicts 4.5% fg, iou_fg 0.518, dice 0.682, miou 0.748
# control: --control
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(2); np.random.seed(2); random.seed(2)
torch.set_num_threads(1)
CONTROL = "--control" in sys.argv
H = 24
def make(n, rng):
    x = rng.normal(0, 0.5, (n, 1, H, H)).astype(np.float32); m = np.zeros((n, 1, H, H), np.float32)
    for i in range(n):
        for _ in range(rng.integers(1, 3)):
            cx, cy = rng.integers(2, H - 3, 2)
            m[i, 0, cy:cy + 3, cx:cx + 3] = 1.0
        x[i, 0] += m[i, 0] * rng.uniform(1.3, 1.8)
    return torch.tensor(x), torch.tensor(m)
rng = np.random.default_rng(2)
xtr, mtr = make(320, rng); xva, mva = make(128, rng)
fg = mtr.mean().item()
print(f"foreground fraction {fg:.4f}")

def block(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.ReLU(), nn.Conv2d(o, o, 3, padding=1), nn.ReLU())
class UNet(nn.Module):
    def __init__(s, c=8):
        super().__init__()
        s.e1, s.e2 = block(1, c), block(c, 2 * c)
        s.up = nn.ConvTranspose2d(2 * c, c, 2, stride=2)
        s.d1, s.out = block(2 * c, c), nn.Conv2d(c, 1, 1)
    def forward(s, x):
        a = s.e1(x); b = s.e2(F.max_pool2d(a, 2))
        return s.out(s.d1(torch.cat([s.up(b), a], 1)))

model = UNet()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
pw = torch.tensor([(1 - fg) / fg]) if CONTROL else None
for ep in range(8):
    model.train(); perm = torch.randperm(len(xtr)); tl = []
    for i in range(0, len(xtr), 32):
        idx = perm[i:i + 32]
        loss = F.binary_cross_entropy_with_logits(model(xtr[idx]), mtr[idx], pos_weight=pw)
        opt.zero_grad(); loss.backward(); opt.step(); tl.append(loss.item())
    model.eval()
    with torch.no_grad():
        lv = model(xva); vl = F.binary_cross_entropy_with_logits(lv, mva).item()
        p = (lv > 0).float(); inter = (p * mva).sum()
        iou_fg = (inter / ((p + mva) > 0).float().sum()).item()
        iou_bg = (((1 - p) * (1 - mva)).sum() / (((1 - p) + (1 - mva)) > 0).float().sum()).item()
        dice = (2 * inter / (p.sum() + mva.sum()).clamp(min=1)).item()
        pix_acc = (p == mva).float().mean().item(); pred_fg = p.mean().item()
    print(f"epoch {ep} train_loss {np.mean(tl):.4f} val_bce {vl:.4f} pix_acc {pix_acc:.4f} iou_fg {iou_fg:.3f} dice {dice:.3f} pred_fg_frac {pred_fg:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "pixel_acc": round(pix_acc, 4), "iou_fg": round(iou_fg, 4),
      "miou": round((iou_fg + iou_bg) / 2, 4), "dice": round(dice, 4), "pred_fg_frac": round(pred_fg, 4),
      "true_fg_frac": round(mva.mean().item(), 4), "train_loss": round(float(np.mean(tl)), 4)}))
