"""Small fully-convolutional net segmenting synthetic blobs with a hand-written
BCE + soft-Dice loss. Planted: BCE computed as -(m*log(p) + (1-m)*log(1-p)) on
p = sigmoid(logits) without clamping: once logits pass ~17 in float32, p == 1.0
exactly, log(1-p) = -inf and 0*inf = NaN. --control clamps p to [1e-6, 1-1e-6].
Logs one JSON line per epoch to $CORPUS_LOG_DIR/train_log.jsonl."""
# expect: non_finite
# allow: exploding_gradients, learning_rate_too_high, non_convergence
# forbid: *
# evidence: planted: after 26 good steps (val_iou 0.857 at epoch 2) max |logit| reaches 70, sigmoid gives p==1.0, log(1-p)=-inf -> loss NaN from step 27 on, weights NaN, final val_iou 0.000; control (p clamped to [1e-6,1-1e-6], same lr=1e-2): val_loss 0.0057, val_iou 0.994, val_dice 0.997
# control: --control
# native-log: train_log.jsonl
# log-expect: non_finite
# log-allow: non_convergence, learning_rate_too_high, exploding_gradients
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(3); np.random.seed(3); random.seed(3)
torch.set_num_threads(1)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
H = 20
def make(n, rng):
    yy, xx = np.mgrid[0:H, 0:H]
    x = rng.normal(0, 0.3, (n, 1, H, H)).astype(np.float32); m = np.zeros((n, 1, H, H), np.float32)
    for i in range(n):
        cx, cy, r = rng.integers(4, H - 4), rng.integers(4, H - 4), rng.integers(3, 6)
        m[i, 0][(xx - cx) ** 2 + (yy - cy) ** 2 <= r * r] = 1
        x[i, 0] += 1.5 * m[i, 0]
    return torch.tensor(x), torch.tensor(m)
rng = np.random.default_rng(3)
xtr, mtr = make(256, rng); xva, mva = make(96, rng)

model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(),
                      nn.Conv2d(16, 16, 3, padding=2, dilation=2), nn.ReLU(), nn.Conv2d(16, 1, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)

def seg_loss(logits, m):
    p = torch.sigmoid(logits)
    if CONTROL:
        p = p.clamp(1e-6, 1 - 1e-6)
    bce = -(m * torch.log(p) + (1 - m) * torch.log(1 - p)).mean()
    dice = 1 - (2 * (p * m).sum() + 1) / (p.sum() + m.sum() + 1)
    return bce + dice

logf = open(os.path.join(LOG_DIR, "train_log.jsonl"), "w")
nan_step = None; step = 0
for ep in range(14):
    model.train(); perm = torch.randperm(len(xtr)); tl = []
    for i in range(0, len(xtr), 32):
        idx = perm[i:i + 32]; logits = model(xtr[idx])
        loss = seg_loss(logits, mtr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
        if not torch.isfinite(loss) and nan_step is None:
            nan_step = step; print(f"first non-finite loss at step {step}; max |logit| before: {logits.detach().abs().max().item():.1f}")
        tl.append(loss.item())
    model.eval()
    with torch.no_grad():
        lv = model(xva); vl = seg_loss(lv, mva).item()
        pr = (lv > 0).float(); inter = (pr * mva).sum()
        iou = (inter / ((pr + mva) > 0).float().sum().clamp(min=1)).item()
        dice = (2 * inter / (pr.sum() + mva.sum()).clamp(min=1)).item()
    rec = {"epoch": ep, "step": step, "train_loss": float(np.mean(tl)), "val_loss": vl, "val_iou": iou, "val_dice": dice, "lr": 1e-2}
    logf.write(json.dumps(rec) + "\n"); logf.flush()
    print(f"epoch {ep} train_loss {np.mean(tl):.4f} val_loss {vl:.4f} val_iou {iou:.3f} val_dice {dice:.3f}")
logf.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 5), "val_iou": round(iou, 4), "val_dice": round(dice, 4),
      "train_loss": round(float(np.mean(tl)), 5), "first_nan_step": nan_step}))
