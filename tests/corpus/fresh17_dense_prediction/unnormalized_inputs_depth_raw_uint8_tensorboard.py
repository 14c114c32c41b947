"""Monocular 'depth' regression from synthetic 8-bit grey images (receding floor
plus boxes; brightness ~ 1/depth). Small FCN + Adam, logs scalars to TensorBoard.
Planted: the uint8 images are fed as raw 0..255 floats (mean ~90, std ~50);
--control divides by 255 and standardises with the train mean/std."""
# expect: unnormalized_inputs
# allow: non_convergence, learning_rate_too_high, exploding_gradients, dead_units, high_bias
# forbid: *
# evidence: planted (raw 0..255 input, mean 83 std 39): val_mse 2.14 = target variance 2.12 (no better than predicting the mean), val_l1 1.05, abs_rel 0.30; control (/255 + standardised, same Adam lr=1e-3, 12 epochs): val_mse 0.454, val_l1 0.419, abs_rel 0.138
# control: --control
# native-log: tb
# log-expect:
# log-allow: non_convergence, learning_rate_too_high, high_bias
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter

torch.manual_seed(5); np.random.seed(5); random.seed(5)
torch.set_num_threads(1)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
H = 20
def scenes(n, rng):
    rows = np.arange(H, dtype=np.float32)[:, None].repeat(H, 1)
    d = np.zeros((n, 1, H, H), np.float32); img = np.zeros((n, 1, H, H), np.uint8)
    for i in range(n):
        dm = 1.5 + (H - rows) / H * rng.uniform(3, 6)
        for _ in range(rng.integers(1, 3)):
            y0, x0 = rng.integers(0, H - 6, 2); h, w = rng.integers(4, 8, 2)
            dm[y0:y0 + h, x0:x0 + w] = rng.uniform(1.0, 3.0)
        d[i, 0] = dm
        img[i, 0] = np.clip(255 * (1.0 / dm) + rng.normal(0, 8, (H, H)), 0, 255).astype(np.uint8)
    return img, torch.tensor(d)
rng = np.random.default_rng(5)
itr, dtr = scenes(256, rng); iva, dva = scenes(96, rng)
xtr = torch.tensor(itr, dtype=torch.float32); xva = torch.tensor(iva, dtype=torch.float32)
if CONTROL:
    mu, sd = (xtr / 255).mean(), (xtr / 255).std()
    xtr, xva = (xtr / 255 - mu) / sd, (xva / 255 - mu) / sd
print(f"input mean {xtr.mean():.2f} std {xtr.std():.2f}")

model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(),
                      nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 1, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
tb = SummaryWriter(os.path.join(LOG_DIR, "tb"))
step = 0
for ep in range(12):
    model.train(); perm = torch.randperm(len(xtr)); tl = []
    for i in range(0, len(xtr), 32):
        idx = perm[i:i + 32]
        loss = F.l1_loss(model(xtr[idx]), dtr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1; tl.append(loss.item())
        tb.add_scalar("train/l1", loss.item(), step)
    model.eval()
    with torch.no_grad():
        pv = model(xva); mae = (pv - dva).abs().mean().item(); mse = F.mse_loss(pv, dva).item()
        absrel = ((pv - dva).abs() / dva).mean().item()
    tb.add_scalar("val/l1", mae, step); tb.add_scalar("val/abs_rel", absrel, step); tb.add_scalar("lr", 1e-3, step)
    print(f"epoch {ep} train_l1 {np.mean(tl):.4f} val_l1 {mae:.4f} val_mse {mse:.4f} abs_rel {absrel:.4f}")
tb.close()
print("CORPUS_METRIC " + json.dumps({"val_mae": round(mae, 4), "val_mse": round(mse, 4), "abs_rel": round(absrel, 4),
      "target_var": round(dva.var().item(), 4), "train_loss": round(float(np.mean(tl)), 4)}))
