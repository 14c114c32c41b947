# expect:
# allow:
# forbid: *
# evidence: U-Net (8-16-32 ch, BN), BCE+Dice, AdamW one-cycle 250 steps of batch 16; held-out val IoU 0.92, Dice 0.96, pixel acc 0.988 vs background rate 0.864; train IoU 0.92 (no gap)
"""Small U-Net (2 down / 2 up, BatchNorm, skip concatenations) for binary segmentation of synthetic noisy
images with random discs and rectangles; BCE + soft-Dice loss, AdamW + one-cycle; held-out IoU/Dice."""
import argparse, json
from dataclasses import dataclass
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


@dataclass
class SegConfig:
    size: int = 24
    base: int = 8
    lr: float = 3e-3
    steps: int = 250
    batch: int = 16
    n_train: int = 800
    n_val: int = 200
    seed: int = 0


def make_shapes(n, s, rng):
    yy, xx = np.mgrid[0:s, 0:s]
    imgs = np.zeros((n, 1, s, s), np.float32); masks = np.zeros((n, 1, s, s), np.float32)
    for i in range(n):
        m = np.zeros((s, s), bool)
        for _ in range(rng.integers(1, 4)):
            cx, cy = rng.uniform(3, s - 3, 2)
            if rng.random() < 0.5:
                r = rng.uniform(2, 5); m |= (xx - cx) ** 2 + (yy - cy) ** 2 < r ** 2
            else:
                w, h = rng.uniform(2, 5, 2); m |= (np.abs(xx - cx) < w) & (np.abs(yy - cy) < h)
        bg = rng.uniform(-0.3, 0.3) + 0.2 * np.sin(xx / rng.uniform(2, 6) + rng.uniform(0, 6))  # textured background
        imgs[i, 0] = bg + m * rng.uniform(0.6, 1.0) + 0.35 * rng.normal(size=(s, s))
        masks[i, 0] = m
    return torch.tensor(imgs), torch.tensor(masks)


def conv_block(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True),
                         nn.Conv2d(o, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True))


class UNet(nn.Module):
    def __init__(self, b):
        super().__init__()
        self.e1, self.e2, self.mid = conv_block(1, b), conv_block(b, 2 * b), conv_block(2 * b, 4 * b)
        self.u2 = nn.ConvTranspose2d(4 * b, 2 * b, 2, 2); self.d2 = conv_block(4 * b, 2 * b)
        self.u1 = nn.ConvTranspose2d(2 * b, b, 2, 2); self.d1 = conv_block(2 * b, b)
        self.out = nn.Conv2d(b, 1, 1)

    def forward(self, x):
        e1 = self.e1(x); e2 = self.e2(F.max_pool2d(e1, 2)); m = self.mid(F.max_pool2d(e2, 2))
        d2 = self.d2(torch.cat([self.u2(m), e2], 1)); d1 = self.d1(torch.cat([self.u1(d2), e1], 1))
        return self.out(d1)


def dice_loss(logits, y, eps=1.0):
    p = torch.sigmoid(logits)
    inter = (p * y).sum((1, 2, 3))
    return 1 - ((2 * inter + eps) / (p.sum((1, 2, 3)) + y.sum((1, 2, 3)) + eps)).mean()


@torch.no_grad()
def evaluate(model, X, Y):
    model.eval(); lo = model(X)
    loss = F.binary_cross_entropy_with_logits(lo, Y).item()
    pred = lo > 0
    inter = (pred & (Y > 0.5)).sum().item(); union = (pred | (Y > 0.5)).sum().item()
    return loss, inter / union, 2 * inter / (pred.sum().item() + (Y > 0.5).sum().item()), (pred == (Y > 0.5)).float().mean().item()


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); a = ap.parse_args()
    c = SegConfig()
    torch.manual_seed(c.seed); rng = np.random.default_rng(c.seed)
    Xtr, Ytr = make_shapes(c.n_train, c.size, rng); Xva, Yva = make_shapes(c.n_val, c.size, rng)
    model = UNet(c.base)
    opt = torch.optim.AdamW(model.parameters(), lr=c.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, c.lr, total_steps=c.steps)
    for step in range(c.steps):
        model.train()
        idx = torch.randint(0, c.n_train, (c.batch,))
        lo = model(Xtr[idx])
        loss = F.binary_cross_entropy_with_logits(lo, Ytr[idx]) + dice_loss(lo, Ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); sched.step()
        if step % 50 == 0 or step == c.steps - 1:
            vl, iou, dice, pa = evaluate(model, Xva, Yva)
            print(f"step {step} train_loss {loss.item():.4f} val_bce {vl:.4f} val_iou {iou:.3f} val_dice {dice:.3f}")
    tl, tiou, _, _ = evaluate(model, Xtr[:200], Ytr[:200])
    fg = Yva.mean().item()
    print("CORPUS_METRIC " + json.dumps({"val_bce": round(vl, 4), "val_iou": round(iou, 4), "val_dice": round(dice, 4), "val_pixel_acc": round(pa, 4),
                                         "train_bce": round(tl, 4), "train_iou": round(tiou, 4), "background_rate": round(1 - fg, 4), "all_foreground_iou": round(fg, 4)}))


if __name__ == "__main__":
    main()
