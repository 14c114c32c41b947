"""Tiny U-Net (BCE + Dice) on synthetic shapes, plain PyTorch, writes a CSV log.
Planted: Adam lr=0.1 on a BN-free U-Net. --control uses lr=3e-3."""
# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, non_finite, dead_units, class_imbalance
# forbid: *
# evidence: planted (Adam lr=0.1): step-2 train loss spikes 1.54 -> 75.7, then the net collapses to all-background, loss flat at 1.255, val_iou 0.000; control (lr=3e-3): val_loss 0.17, val_iou 0.844, val_dice 0.915
# control: --control
# native-log: seg_log.csv
# log-expect: learning_rate_too_high
# log-allow: non_convergence, non_finite, class_imbalance, exploding_gradients
import os, sys, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(1); np.random.seed(1); random.seed(1)
torch.set_num_threads(1)
CONTROL = "--control" in sys.argv
LR = 3e-3 if CONTROL else 0.1
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

H = 24
def make_shapes(n, rng):
    x = np.zeros((n, 1, H, H), np.float32); m = np.zeros((n, 1, H, H), np.float32)
    yy, xx = np.mgrid[0:H, 0:H]
    for i in range(n):
        for _ in range(rng.integers(1, 3)):
            cx, cy, r = rng.integers(5, H - 5), rng.integers(5, H - 5), rng.integers(3, 6)
            s = ((xx - cx) ** 2 + (yy - cy) ** 2 <= r * r) if rng.random() < 0.5 else ((abs(xx - cx) <= r) & (abs(yy - cy) <= r - 1))
            m[i, 0][s] = 1.0
        x[i, 0] = m[i, 0] * rng.uniform(0.6, 1.0) + rng.normal(0, 0.4, (H, H))
    return torch.tensor(x), torch.tensor(m)

rng = np.random.default_rng(1)
xtr, mtr = make_shapes(256, rng); xva, mva = make_shapes(128, rng)

def block(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.ReLU(),
                         nn.Conv2d(o, o, 3, padding=1), nn.ReLU())
class UNet(nn.Module):
    def __init__(s, c=8):
        super().__init__()
        s.e1, s.e2, s.mid = block(1, c), block(c, 2 * c), block(2 * c, 2 * c)
        s.up = nn.ConvTranspose2d(2 * c, c, 2, stride=2)
        s.d1, s.out = block(2 * c, c), nn.Conv2d(c, 1, 1)
    def forward(s, x):
        a = s.e1(x); b = s.mid(s.e2(F.max_pool2d(a, 2)))
        return s.out(s.d1(torch.cat([s.up(b), a], 1)))

def dice_loss(logits, m, eps=1.0):
    p = torch.sigmoid(logits)
    return 1 - (2 * (p * m).sum() + eps) / (p.sum() + m.sum() + eps)
def metrics(logits, m):
    p = (logits > 0).float(); inter = (p * m).sum()
    union = ((p + m) > 0).float().sum()
    return (inter / union.clamp(min=1)).item(), (2 * inter / (p.sum() + m.sum()).clamp(min=1)).item()

model = UNet()
opt = torch.optim.Adam(model.parameters(), lr=LR)
f = open(os.path.join(LOG_DIR, "seg_log.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["epoch", "step", "train_loss", "val_loss", "val_iou", "val_dice", "lr"])
step = 0
for ep in range(10):
    model.train(); perm = torch.randperm(len(xtr))
    for i in range(0, len(xtr), 32):
        idx = perm[i:i + 32]; lo = model(xtr[idx])
        loss = F.binary_cross_entropy_with_logits(lo, mtr[idx]) + dice_loss(lo, mtr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
        w.writerow([ep, step, round(loss.item(), 5), "", "", "", LR])
    model.eval()
    with torch.no_grad():
        lv = model(xva); vl = (F.binary_cross_entropy_with_logits(lv, mva) + dice_loss(lv, mva)).item()
        iou, dice = metrics(lv, mva)
    w.writerow([ep, step, "", round(vl, 5), round(iou, 4), round(dice, 4), LR]); f.flush()
    print(f"epoch {ep} last_train_loss {loss.item():.4f} val_loss {vl:.4f} val_iou {iou:.3f} val_dice {dice:.3f}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_iou": round(iou, 4), "val_dice": round(dice, 4),
      "train_loss": round(loss.item(), 4), "lr": LR}))
