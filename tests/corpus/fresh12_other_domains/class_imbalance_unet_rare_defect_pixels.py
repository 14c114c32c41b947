"""Tiny U-Net segmenting rare small defects (2x2 to 3x3 bright-ish specks, ~1% of the
pixels) in noisy 24x24 inspection images. Planted: plain unweighted per-pixel BCE,
so the network settles on "everything is background" (IoU ~0 at threshold 0.5).
--control weights the positive pixels (pos_weight = #neg/#pos), nothing else changes."""
# expect: class_imbalance
# allow: non_convergence, high_bias
# forbid: *
# evidence: defects are 1.7% of the pixels; planted (plain BCE) predicts only 0.4% of pixels as defect: recall 0.19, IoU 0.18; control (pos_weight=sqrt(neg/pos)) recall 0.56, IoU 0.28
# control: --control
# native-log: tb_defects
# log-expect:
# log-allow: class_imbalance, non_convergence
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
            y0, x0 = rng.integers(0, H - 3, 2); s = rng.integers(2, 4)
            Y[i, 0, y0:y0 + s, x0:x0 + s] = 1
        X[i, 0] = Y[i, 0] * 0.6 + rng.normal(0, 0.5, (H, H))
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


CONTROL = "--control" in sys.argv


def dice_loss(logits, y, eps=1.0):
    p = torch.sigmoid(logits)
    inter = (p * y).sum((1, 2, 3)); den = p.sum((1, 2, 3)) + y.sum((1, 2, 3))
    return (1 - (2 * inter + eps) / (den + eps)).mean()


def iou(logits, y):
    p = (logits > 0).float()
    inter = (p * y).sum(); union = ((p + y) > 0).float().sum()
    return (inter / union).item()


Xtr, Ytr = make(256); Xva, Yva = make(100)
pos_frac = Ytr.mean().item()
print(f"foreground pixel fraction {pos_frac:.4f}")
pw = torch.tensor((1 - pos_frac) / pos_frac).sqrt() if CONTROL else None
model = TinyUNet()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
EPOCHS = 10
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS)
from torch.utils.tensorboard import SummaryWriter
tb = SummaryWriter(os.path.join(LOG_DIR, "tb_defects"))
step = 0
for epoch in range(EPOCHS):
    model.train()
    p = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), 16):
        idx = p[i:i + 16]
        out = model(Xtr[idx])
        loss = F.binary_cross_entropy_with_logits(out, Ytr[idx], pos_weight=pw)
        opt.zero_grad(); loss.backward(); opt.step()
        tb.add_scalar("train/loss", loss.item(), step); step += 1
    tb.add_scalar("lr", opt.param_groups[0]["lr"], step)
    sched.step()
    model.eval()
    with torch.no_grad():
        out = model(Xva)
        vb = F.binary_cross_entropy_with_logits(out, Yva, pos_weight=pw).item(); vd = dice_loss(out, Yva).item(); vi = iou(out, Yva)
        pred_fg = (out > 0).float().mean().item()
    tb.add_scalar("val/loss", vb, step); tb.add_scalar("val/iou", vi, step); tb.add_scalar("val/pred_fg_fraction", pred_fg, step)
    print(f"epoch {epoch:2d} train_loss {loss.item():.4f} val_bce {vb:.4f} val_iou {vi:.3f} predicted-foreground fraction {pred_fg:.4f}")
tb.close()
with torch.no_grad():
    recall = (((model(Xva) > 0).float() * Yva).sum() / Yva.sum()).item()
print("CORPUS_METRIC " + json.dumps({"val_iou": round(vi, 4), "val_fg_recall": round(recall, 4), "val_loss": round(vb, 4),
                                      "fg_fraction": round(Yva.mean().item(), 4), "pred_fg_fraction": round(pred_fg, 4)}))
