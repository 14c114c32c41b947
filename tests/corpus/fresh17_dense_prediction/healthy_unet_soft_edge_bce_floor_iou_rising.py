"""Tiny U-Net on synthetic shapes. Targets are soft (blurred) masks, so the
BCE has a high entropy floor and plateaus early while hard-mask IoU keeps
improving. Writes a per-epoch CSV (epoch,train_loss,val_loss,val_miou,val_dice)."""
# expect:
# allow:
# forbid: *
# evidence: soft (blurred) targets give BCE an entropy floor of 0.11, so val_loss stays high (0.74 -> 0.23) and is noisy early, while held-out hard-mask val_miou climbs 0.15 -> 0.85 (val_dice 0.92; fg 15% of pixels); train and val loss track each other
# native-log: metrics.csv
# log-expect:
# log-allow:
import os, sys, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

H = 24
def make_shapes(n, rng):
    x = np.zeros((n, 1, H, H), np.float32); m = np.zeros((n, 1, H, H), np.float32)
    yy, xx = np.mgrid[0:H, 0:H]
    for i in range(n):
        for _ in range(rng.integers(1, 3)):
            cx, cy, r = rng.integers(5, H - 5), rng.integers(5, H - 5), rng.integers(3, 6)
            if rng.random() < 0.5:
                s = (xx - cx) ** 2 + (yy - cy) ** 2 <= r * r
            else:
                s = (abs(xx - cx) <= r) & (abs(yy - cy) <= r - 1)
            m[i, 0][s] = 1.0
        x[i, 0] = m[i, 0] * rng.uniform(0.6, 1.0) + rng.normal(0, 0.4, (H, H))
    return torch.tensor(x), torch.tensor(m)

rng = np.random.default_rng(0)
xtr, mtr = make_shapes(256, rng)
xva, mva = make_shapes(128, rng)
k = torch.tensor([[1., 2., 1.], [2., 4., 2.], [1., 2., 1.]]).view(1, 1, 3, 3) / 16
soft = lambda m: F.conv2d(F.pad(m, (1, 1, 1, 1), mode="replicate"), k)  # blurred edges -> soft targets
str_, sva = soft(soft(mtr)), soft(soft(mva))

def block(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(),
                         nn.Conv2d(o, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU())
class UNet(nn.Module):
    def __init__(s, c=8):
        super().__init__()
        s.e1, s.e2, s.mid = block(1, c), block(c, 2 * c), block(2 * c, 2 * c)
        s.up = nn.ConvTranspose2d(2 * c, c, 2, stride=2)
        s.d1, s.out = block(2 * c, c), nn.Conv2d(c, 1, 1)
    def forward(s, x):
        a = s.e1(x); b = s.mid(s.e2(F.max_pool2d(a, 2)))
        return s.out(s.d1(torch.cat([s.up(b), a], 1)))

model = UNet()
opt = torch.optim.Adam(model.parameters(), lr=5e-3)
def iou_dice(logits, m):
    p = (logits > 0).float()
    inter = (p * m).sum(); union = ((p + m) > 0).float().sum()
    return (inter / union).item(), (2 * inter / (p.sum() + m.sum())).item()

f = open(os.path.join(LOG_DIR, "metrics.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["epoch", "train_loss", "val_loss", "val_miou", "val_dice"])
for ep in range(12):
    model.train(); perm = torch.randperm(len(xtr)); tl = []
    for i in range(0, len(xtr), 32):
        idx = perm[i:i + 32]
        loss = F.binary_cross_entropy_with_logits(model(xtr[idx]), str_[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tl.append(loss.item())
    model.eval()
    with torch.no_grad():
        lv = model(xva); vl = F.binary_cross_entropy_with_logits(lv, sva).item()
        miou, dice = iou_dice(lv, mva)
    w.writerow([ep, round(float(np.mean(tl)), 5), round(vl, 5), round(miou, 4), round(dice, 4)]); f.flush()
    print(f"epoch {ep} train_loss {np.mean(tl):.4f} val_loss {vl:.4f} val_miou {miou:.3f} val_dice {dice:.3f}")
f.close()
floor = F.binary_cross_entropy(sva.clamp(1e-6, 1 - 1e-6), sva).item()
print(f"entropy floor of soft targets: {floor:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_miou": round(miou, 4), "val_dice": round(dice, 4),
      "train_loss": round(float(np.mean(tl)), 4), "bce_floor": round(floor, 4), "fg_fraction": round(mva.mean().item(), 3)}))
