# expect:
# allow:
# forbid: *
# evidence: val foreground IoU 0.83 (all-background reference 0; background is 88% of pixels), val pixel acc 0.987 vs 0.88 background rate; Dice+CE val 1.66 -> 0.169 tracking train 0.178
# native-log: seg_epochs.csv
# log-expect:
# log-allow:
"""Healthy: semantic segmentation with a tiny U-Net and a Dice + cross-entropy loss.

Synthetic 32x32 "cell microscopy" images: blurred noisy background with 1-4 round cells
(class 1) and 0-2 bright rectangular debris (class 2); background covers ~85% of pixels, which is
why soft Dice is added to the CE.  U-Net with two levels (8/16 channels, BatchNorm, skip
connection), Adam lr=3e-3, 12 epochs, batch 16, light flip augmentation.
Metrics: held-out mean foreground IoU (classes 1-2) and pixel accuracy; references: all-background
prediction gives foreground IoU 0 and pixel accuracy ~0.85.  Writes its own CSV log.
"""
import csv, json, os, tempfile
import torch, torch.nn as nn, torch.nn.functional as F

torch.set_num_threads(1); torch.manual_seed(0)
H = 32
yy, xx = torch.meshgrid(torch.arange(H).float(), torch.arange(H).float(), indexing="ij")

def make(n, g):
    X = torch.zeros(n, 1, H, H); Y = torch.zeros(n, H, H, dtype=torch.long)
    for i in range(n):
        for _ in range(int(torch.randint(1, 5, (1,), generator=g))):
            cy, cx = (torch.rand(2, generator=g) * (H - 8) + 4).tolist(); r = float(torch.rand(1, generator=g) * 3 + 2.5)
            m = (yy - cy) ** 2 + (xx - cx) ** 2 < r * r; Y[i][m] = 1; X[i, 0][m] += 0.8 + 0.2 * float(torch.rand(1, generator=g))
        for _ in range(int(torch.randint(0, 3, (1,), generator=g))):
            y0, x0 = torch.randint(0, H - 6, (2,), generator=g).tolist(); h, w = torch.randint(2, 6, (2,), generator=g).tolist()
            Y[i, y0:y0 + h, x0:x0 + w] = 2; X[i, 0, y0:y0 + h, x0:x0 + w] = 1.6
    X = X + 0.35 * torch.randn(X.shape, generator=g)
    X = F.avg_pool2d(F.pad(X, (1, 1, 1, 1), mode="replicate"), 3, 1) * 1.5
    return X, Y

g = torch.Generator().manual_seed(1)
xtr, ytr = make(400, g); xva, yva = make(120, g)
mu, sd = xtr.mean(), xtr.std(); xtr = (xtr - mu) / sd; xva = (xva - mu) / sd

def block(i, o): return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(), nn.Conv2d(o, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU())

class UNet(nn.Module):
    def __init__(s):
        super().__init__(); s.e1 = block(1, 8); s.e2 = block(8, 16); s.up = nn.ConvTranspose2d(16, 8, 2, stride=2); s.d1 = block(16, 8); s.out = nn.Conv2d(8, 3, 1)
    def forward(s, x):
        a = s.e1(x); b = s.e2(F.max_pool2d(a, 2)); return s.out(s.d1(torch.cat([a, s.up(b)], 1)))

def dice_ce(logits, y, eps=1.0):
    p = logits.softmax(1); oh = F.one_hot(y, 3).permute(0, 3, 1, 2).float()
    inter = (p * oh).sum((0, 2, 3)); den = p.sum((0, 2, 3)) + oh.sum((0, 2, 3))
    dice = 1 - ((2 * inter + eps) / (den + eps))[1:].mean()
    return F.cross_entropy(logits, y) + dice

def iou(pred, y):
    out = []
    for c in (1, 2):
        i = ((pred == c) & (y == c)).sum().item(); u = ((pred == c) | (y == c)).sum().item(); out.append(i / max(u, 1))
    return sum(out) / 2

net = UNet(); opt = torch.optim.Adam(net.parameters(), lr=3e-3)
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(logdir, exist_ok=True)
f = open(os.path.join(logdir, "seg_epochs.csv"), "w", newline=""); w = csv.writer(f)
w.writerow(["epoch", "dice_ce_train", "dice_ce_val", "fg_iou_val", "pix_acc_val", "lr"])
for ep in range(12):
    net.train(); perm = torch.randperm(len(xtr)); tot = 0.0; nb = 0
    for i in range(0, len(xtr), 16):
        b = perm[i:i + 16]; x, y = xtr[b], ytr[b]
        if torch.rand(1).item() < 0.5: x, y = x.flip(-1), y.flip(-1)
        loss = dice_ce(net(x), y); opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item(); nb += 1
    net.eval()
    with torch.no_grad():
        lv = net(xva); vl = float(dice_ce(lv, yva)); pred = lv.argmax(1); vi = iou(pred, yva); pa = float((pred == yva).float().mean())
    w.writerow([ep, round(tot / nb, 5), round(vl, 5), round(vi, 4), round(pa, 4), 3e-3]); f.flush()
    print(f"epoch {ep} loss {tot/nb:.4f} val_loss {vl:.4f} val_fg_iou {vi:.3f} val_pix_acc {pa:.4f}")
with torch.no_grad(): lt = net(xtr[:120]); tl = float(dice_ce(lt, ytr[:120])); ti = iou(lt.argmax(1), ytr[:120])
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_fg_iou": round(vi, 4), "val_pixel_acc": round(pa, 4), "train_loss": round(tl, 4), "train_fg_iou": round(ti, 4), "background_fraction": round(float((yva == 0).float().mean()), 4)}))
