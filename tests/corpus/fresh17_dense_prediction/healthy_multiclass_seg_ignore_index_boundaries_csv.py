"""3-class semantic segmentation (background, disc, square) on synthetic images
with a small encoder-decoder; a 1-pixel band around every object boundary is
labelled 255 ('void', as in VOC) and skipped with CrossEntropyLoss(ignore_index=255).
Class frequencies are very unequal (background ~80%). Reports per-class IoU and
mIoU on held-out images; writes a per-epoch CSV."""
# expect:
# allow:
# forbid: *
# evidence: background 83% / disc 5% / square 12% of valid pixels, 21% void (ignored); held-out miou 0.89 at epoch 2 -> 0.997 at epoch 11 (per-class IoU 0.999/0.996/0.996; chance ~0.27), val_loss 0.0032 ~ train 0.0040; the loss going to ~0 is genuine (val follows it)
# native-log: seg3/log.csv
# log-expect:
# log-allow:
import os, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(17); np.random.seed(17); random.seed(17)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(os.path.join(LOG_DIR, "seg3"), exist_ok=True)
H = 20
yy, xx = np.mgrid[0:H, 0:H]
def make(n, rng):
    x = rng.normal(0, 0.7, (n, 1, H, H)).astype(np.float32); y = np.zeros((n, H, H), np.int64)
    for i in range(n):
        for _ in range(rng.integers(1, 3)):
            cx, cy, r = rng.integers(5, H - 5), rng.integers(5, H - 5), rng.integers(3, 6); c = rng.integers(1, 3)
            s = ((xx - cx) ** 2 + (yy - cy) ** 2 <= r * r) if c == 1 else ((abs(xx - cx) <= r) & (abs(yy - cy) <= r))
            y[i][s] = c
        x[i, 0] += (y[i] == 1) * 1.2 - (y[i] == 2) * 1.2          # discs bright, squares dark
        lab = torch.tensor(y[i])[None, None].float()
        edge = (F.max_pool2d(lab, 3, 1, 1) != -F.max_pool2d(-lab, 3, 1, 1))[0, 0].numpy()
        y[i][edge] = 255
    return torch.tensor(x), torch.tensor(y)
rng = np.random.default_rng(17)
xtr, ytr = make(256, rng); xva, yva = make(96, rng)
model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
                      nn.Conv2d(32, 32, 3, padding=2, dilation=2), nn.BatchNorm2d(32), nn.ReLU(),
                      nn.Upsample(scale_factor=2, mode="bilinear"), nn.Conv2d(32, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 3, 1))
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=5e-3, total_steps=12 * 8)
crit = nn.CrossEntropyLoss(ignore_index=255)
def ious(pred, y):
    v = y != 255; out = []
    for c in range(3):
        p, t = (pred == c) & v, (y == c) & v
        out.append(((p & t).sum() / (p | t).sum().clamp(min=1)).item())
    return out
f = open(os.path.join(LOG_DIR, "seg3", "log.csv"), "w", newline=""); w = csv.writer(f)
w.writerow(["epoch", "train_loss", "val_loss", "miou", "iou_bg", "iou_disc", "iou_square", "lr"])
for ep in range(12):
    model.train(); perm = torch.randperm(len(xtr)); tl = []
    for i in range(0, len(xtr), 32):
        idx = perm[i:i + 32]; loss = crit(model(xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); sched.step(); tl.append(loss.item())
    model.eval()
    with torch.no_grad():
        o = model(xva); vl = crit(o, yva).item(); iu = ious(o.argmax(1), yva)
    w.writerow([ep, round(float(np.mean(tl)), 5), round(vl, 5), round(np.mean(iu), 4)] + [round(v, 4) for v in iu] + [sched.get_last_lr()[0]])
    print(f"epoch {ep} train_loss {np.mean(tl):.4f} val_loss {vl:.4f} miou {np.mean(iu):.3f} per-class {iu[0]:.3f} {iu[1]:.3f} {iu[2]:.3f}")
f.close()
valid = yva[yva != 255]
print("class frequencies (valid px): " + " ".join(f"{(valid == c).float().mean():.3f}" for c in range(3)) + f"; void {(yva == 255).float().mean():.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "miou": round(float(np.mean(iu)), 4), "iou_per_class": [round(v, 4) for v in iu],
      "train_loss": round(float(np.mean(tl)), 4), "chance_miou": 0.27}))
