"""Single-object localisation on synthetic images: a box (rect or ellipse,
3 classes incl. 'cross') on clutter; an MLP trunk on the flattened 16x16 image with
two heads, box (cx, cy, w, h in [0,1], L1 + 1-IoU) and class (CE), weighted sum.
Planted: a 'custom init' sets every hidden Linear bias to -3.0 (meant for the
output prior), so almost all ReLU units never fire. --control leaves biases at
their default init."""
# expect: dead_units
# allow: non_convergence, vanishing_gradients, high_bias, poor_initialization
# forbid: *
# evidence: planted (hidden biases -3): probe shows 100% of ReLU units in all 3 trunk layers never fire on val, at init and after 12 epochs; loss flat 1.43, box mean_iou 0.250, recall@iou0.5 0.090, cls_acc 0.376 (chance 0.333); control (default biases): dead fraction 0.00/0.02/0.20, val_loss 0.483, mean_iou 0.749, recall@iou0.5 0.956, cls_acc 0.848
# control: --control
import sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(11); np.random.seed(11); random.seed(11)
torch.set_num_threads(1)
CONTROL = "--control" in sys.argv
H = 16
yy, xx = np.mgrid[0:H, 0:H]
def make(n, rng):
    x = rng.normal(0, 0.3, (n, H, H)).astype(np.float32); box = np.zeros((n, 4), np.float32); cls = np.zeros(n, np.int64)
    for i in range(n):
        w, h = rng.integers(4, 10, 2); x0, y0 = rng.integers(0, H - w + 1), rng.integers(0, H - h + 1)
        c = rng.integers(0, 3); cls[i] = c
        inside = (xx >= x0) & (xx < x0 + w) & (yy >= y0) & (yy < y0 + h)
        if c == 1:
            inside &= ((xx - (x0 + w / 2 - .5)) / (w / 2)) ** 2 + ((yy - (y0 + h / 2 - .5)) / (h / 2)) ** 2 <= 1
        if c == 2:
            inside &= (abs(xx - (x0 + w // 2)) <= 1) | (abs(yy - (y0 + h // 2)) <= 1)
        x[i][inside] += (0.7, 1.2, 1.8)[c]       # class also changes brightness
        box[i] = [(x0 + w / 2) / H, (y0 + h / 2) / H, w / H, h / H]
    return torch.tensor(x).flatten(1), torch.tensor(box), torch.tensor(cls)
rng = np.random.default_rng(11)
xtr, btr, ctr = make(2500, rng); xva, bva, cva = make(500, rng)

class Det(nn.Module):
    def __init__(s):
        super().__init__()
        s.trunk = nn.Sequential(nn.Linear(H * H, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU())
        s.box, s.cls = nn.Linear(64, 4), nn.Linear(64, 3)
    def forward(s, x):
        f = s.trunk(x); return torch.sigmoid(s.box(f)), s.cls(f)
model = Det()
if not CONTROL:
    for m in model.trunk:
        if isinstance(m, nn.Linear): nn.init.constant_(m.bias, -3.0)
def iou(a, b):
    a1, a2 = a[:, :2] - a[:, 2:] / 2, a[:, :2] + a[:, 2:] / 2; b1, b2 = b[:, :2] - b[:, 2:] / 2, b[:, :2] + b[:, 2:] / 2
    inter = (torch.min(a2, b2) - torch.max(a1, b1)).clamp(min=0).prod(1)
    return inter / (a[:, 2:].prod(1) + b[:, 2:].prod(1) - inter + 1e-7)
def dead_frac(x):
    fr = []; h = x
    for m in model.trunk:
        h = m(h)
        if isinstance(m, nn.ReLU): fr.append((h.max(0).values <= 0).float().mean().item())
    return fr
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
with torch.no_grad(): print("dead ReLU fraction per layer at init: " + " ".join(f"{v:.2f}" for v in dead_frac(xva)))
for ep in range(12):
    model.train(); perm = torch.randperm(len(xtr)); tl = []
    for i in range(0, len(xtr), 64):
        idx = perm[i:i + 64]; pb, pc = model(xtr[idx])
        loss = F.l1_loss(pb, btr[idx]) + (1 - iou(pb, btr[idx])).mean() + 0.5 * F.cross_entropy(pc, ctr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tl.append(loss.item())
    model.eval()
    with torch.no_grad():
        pb, pc = model(xva); mi = iou(pb, bva)
        vl = (F.l1_loss(pb, bva) + (1 - mi).mean() + 0.5 * F.cross_entropy(pc, cva)).item()
        miou = mi.mean().item(); ap50 = (mi > 0.5).float().mean().item(); acc = (pc.argmax(1) == cva).float().mean().item()
    if ep % 3 == 2: print(f"epoch {ep} train_loss {np.mean(tl):.4f} val_loss {vl:.4f} mean_iou {miou:.3f} iou>0.5 {ap50:.3f} cls_acc {acc:.3f}")
with torch.no_grad(): df = dead_frac(xva)
print("dead ReLU fraction per layer after training: " + " ".join(f"{v:.2f}" for v in df))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "mean_iou": round(miou, 4), "recall@iou0.5": round(ap50, 4), "cls_acc": round(acc, 4),
      "chance_cls_acc": 0.333, "train_loss": round(float(np.mean(tl)), 4), "dead_relu_frac": [round(v, 3) for v in df]}))
