"""A tiny U-Net (two scales, skip connections) segmenting random discs and
rectangles in noisy 24x24 images. Loss = BCE-with-logits + soft Dice, the usual
segmentation combo; the Dice term flattens out around 0.1 rather than going to 0.
Reports foreground IoU on held-out images. Logs per-epoch metrics to TensorBoard."""
# expect:
# allow:
# forbid: *
# evidence: val foreground IoU 0.88 (epoch 0: 0.76); val BCE 0.53 -> 0.10; soft Dice loss 0.79 -> 0.39 (soft probabilities keep it well above 0); 10 epochs, cosine lr
# native-log: tb_unet
# log-expect:
# log-allow:
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
rng = np.random.default_rng(0)
H = 24


def make(n):
    X = np.zeros((n, 1, H, H), np.float32); Y = np.zeros((n, 1, H, H), np.float32)
    yy, xx = np.mgrid[:H, :H]
    for i in range(n):
        for _ in range(rng.integers(1, 3)):
            if rng.random() < 0.5:
                cy, cx, r = rng.integers(4, H - 4, 2).tolist() + [rng.integers(2, 6)]
                m = (yy - cy) ** 2 + (xx - cx) ** 2 <= r ** 2
            else:
                y0, x0 = rng.integers(0, H - 8, 2); h, w = rng.integers(3, 9, 2)
                m = (yy >= y0) & (yy < y0 + h) & (xx >= x0) & (xx < x0 + w)
            Y[i, 0][m] = 1
        X[i, 0] = Y[i, 0] * rng.uniform(0.6, 1.0) + rng.normal(0, 0.35, (H, H))
    return torch.tensor(X), torch.tensor(Y)


def block(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(), nn.Conv2d(o, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU())


class TinyUNet(nn.Module):
    def __init__(self, c=8):
        super().__init__()
        self.e1, self.e2 = block(1, c), block(c, 2 * c)
        self.up = nn.ConvTranspose2d(2 * c, c, 2, stride=2)
        self.d1 = block(2 * c, c)
        self.out = nn.Conv2d(c, 1, 1)

    def forward(self, x):
        a = self.e1(x)
        b = self.e2(F.max_pool2d(a, 2))
        return self.out(self.d1(torch.cat([self.up(b), a], 1)))


def dice_loss(logits, y, eps=1.0):
    p = torch.sigmoid(logits)
    inter = (p * y).sum((1, 2, 3)); den = p.sum((1, 2, 3)) + y.sum((1, 2, 3))
    return (1 - (2 * inter + eps) / (den + eps)).mean()


def iou(logits, y):
    p = (logits > 0).float()
    inter = (p * y).sum(); union = ((p + y) > 0).float().sum()
    return (inter / union).item()


Xtr, Ytr = make(256); Xva, Yva = make(100)
model = TinyUNet()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
EPOCHS = 10
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS)
from torch.utils.tensorboard import SummaryWriter
tb = SummaryWriter(os.path.join(LOG_DIR, "tb_unet"))
step = 0
for epoch in range(EPOCHS):
    model.train()
    p = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), 16):
        idx = p[i:i + 16]
        out = model(Xtr[idx])
        bce = F.binary_cross_entropy_with_logits(out, Ytr[idx]); dl = dice_loss(out, Ytr[idx])
        loss = bce + dl
        opt.zero_grad(); loss.backward(); opt.step()
        tb.add_scalar("train/loss", loss.item(), step); step += 1
    tb.add_scalar("lr", opt.param_groups[0]["lr"], step)
    sched.step()
    model.eval()
    with torch.no_grad():
        out = model(Xva)
        vb = F.binary_cross_entropy_with_logits(out, Yva).item(); vd = dice_loss(out, Yva).item(); vi = iou(out, Yva)
    tb.add_scalar("val/loss", vb + vd, step); tb.add_scalar("val/dice_loss", vd, step); tb.add_scalar("val/iou", vi, step)
    print(f"epoch {epoch:2d} train_loss {loss.item():.4f} val_bce {vb:.4f} val_dice_loss {vd:.4f} val_iou {vi:.3f}")
tb.close()
print("CORPUS_METRIC " + json.dumps({"val_iou": round(vi, 4), "val_dice_loss": round(vd, 4), "val_bce": round(vb, 4),
                                      "val_loss": round(vb + vd, 4), "fg_fraction": round(Yva.mean().item(), 4)}))
