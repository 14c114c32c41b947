# expect:
# allow:
# forbid: *
# evidence: val class acc 0.855 (chance 0.33), val mean box IoU 0.79 vs 0.21 for the mean train box; val loss 1.16 -> 0.38 (falls every epoch but one) with train 0.27 (small gap), still improving at the end
"""Healthy: single-object localisation with a class head (CE) and a box head (SmoothL1).

24x24 noisy images with one object (disc, square or cross) at a random position and size.
Shared small CNN trunk (2 conv+pool, 1 dense) on the standardised image; class head (3-way CE) and box head
(cx, cy, w, h in [0, 1], SmoothL1 with beta=0.05, weight 5).  Adam lr=1e-3, batch 64, 10 epochs.
Metrics: held-out class accuracy (chance 1/3) and mean box IoU (reference: always predicting the
mean train box gives IoU ~0.1).
"""
import json
import torch, torch.nn as nn, torch.nn.functional as F

torch.set_num_threads(1); torch.manual_seed(0)
H = 24
yy, xx = torch.meshgrid(torch.arange(H).float() + 0.5, torch.arange(H).float() + 0.5, indexing="ij")

def make(n, g):
    X = torch.zeros(n, H, H); cls = torch.randint(0, 3, (n,), generator=g); box = torch.zeros(n, 4)
    for i in range(n):
        s = float(torch.rand(1, generator=g)) * 8 + 5; cx, cy = (torch.rand(2, generator=g) * (H - s) + s / 2).tolist()
        dx, dy = (xx - cx).abs(), (yy - cy).abs()
        if cls[i] == 0: m = dx ** 2 + dy ** 2 < (s / 2) ** 2
        elif cls[i] == 1: m = (dx < s / 2) & (dy < s / 2)
        else: m = ((dx < s / 2) & (dy < s / 6)) | ((dy < s / 2) & (dx < s / 6))
        X[i][m] = 1.0; box[i] = torch.tensor([cx / H, cy / H, s / H, s / H])
    X = X + 0.3 * torch.randn(X.shape, generator=g)
    return X.flatten(1), cls, box

g = torch.Generator().manual_seed(1)
xtr, ctr, btr = make(2400, g); xva, cva, bva = make(800, g)
mu, sd = xtr.mean(), xtr.std(); xtr = (xtr - mu) / sd; xva = (xva - mu) / sd

class Det(nn.Module):
    def __init__(s):
        super().__init__()
        s.trunk = nn.Sequential(nn.Unflatten(1, (1, H, H)), nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * 36, 128), nn.ReLU())
        s.cls = nn.Linear(128, 3); s.box = nn.Linear(128, 4)
    def forward(s, x): h = s.trunk(x); return s.cls(h), torch.sigmoid(s.box(h))

def box_iou(a, b):
    a1, a2 = a[:, :2] - a[:, 2:] / 2, a[:, :2] + a[:, 2:] / 2; b1, b2 = b[:, :2] - b[:, 2:] / 2, b[:, :2] + b[:, 2:] / 2
    inter = (torch.min(a2, b2) - torch.max(a1, b1)).clamp(min=0).prod(1)
    return inter / (a[:, 2:].prod(1) + b[:, 2:].prod(1) - inter)

def det_loss(out, c, b):
    lc, pb = out; return F.cross_entropy(lc, c) + 5 * F.smooth_l1_loss(pb, b, beta=0.05)

m = Det(); opt = torch.optim.Adam(m.parameters(), lr=1e-3)
for ep in range(10):
    m.train(); perm = torch.randperm(len(xtr)); tot = 0.0; nb = 0
    for i in range(0, len(xtr), 64):
        b = perm[i:i + 64]; loss = det_loss(m(xtr[b]), ctr[b], btr[b])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item(); nb += 1
    with torch.no_grad():
        o = m(xva); vl = float(det_loss(o, cva, bva)); acc = float((o[0].argmax(1) == cva).float().mean()); vi = float(box_iou(o[1], bva).mean())
    print(f"epoch {ep+1} loss {tot/nb:.4f} val_loss {vl:.4f} val_acc {acc:.3f} val_mIoU {vi:.3f}")
with torch.no_grad(): o = m(xtr); tl = float(det_loss(o, ctr, btr)); tacc = float((o[0].argmax(1) == ctr).float().mean())
base = float(box_iou(btr.mean(0).expand_as(bva), bva).mean())
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "val_box_iou": round(vi, 4), "train_loss": round(tl, 4), "train_acc": round(tacc, 4), "mean_box_iou": round(base, 4), "chance_acc": 0.3333}))
