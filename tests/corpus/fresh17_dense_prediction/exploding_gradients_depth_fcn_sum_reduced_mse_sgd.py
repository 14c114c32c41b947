"""Monocular 'depth' regression on synthetic scenes (receding floor plane + boxes
at random depths; image brightness falls with depth, plus texture). Small FCN,
SGD+momentum. Planted: the per-pixel loss is reduced with sum over batch and all
pixels (x 12,800 elements), so gradients are 4 orders of magnitude larger than
intended and blow up. --control uses reduction='mean' (same lr)."""
# expect: exploding_gradients
# allow: non_finite, learning_rate_too_high, non_convergence
# forbid: *
# evidence: planted (reduction=sum, SGD lr=0.005 m=0.9): total grad norm 1.1e5 at step 0, conv grad norms inf at step 1, loss 2e23 then inf then NaN, val_mse NaN; control (reduction=mean, same lr): grad norm 8.7 at step 0 (max 64), val_mse 0.216 vs target variance 2.21, abs_rel 0.097
# control: --control
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(4); np.random.seed(4); random.seed(4)
torch.set_num_threads(1)
CONTROL = "--control" in sys.argv
H = 20
def scenes(n, rng):
    rows = np.arange(H, dtype=np.float32)[:, None].repeat(H, 1)
    d = np.zeros((n, 1, H, H), np.float32); x = np.zeros_like(d)
    for i in range(n):
        dm = 1.5 + (H - rows) / H * rng.uniform(3, 6)              # floor: farther at the top
        for _ in range(rng.integers(1, 3)):
            y0, x0 = rng.integers(0, H - 6, 2); h, w = rng.integers(4, 8, 2)
            dm[y0:y0 + h, x0:x0 + w] = rng.uniform(1.0, 3.0)
        d[i, 0] = dm
        x[i, 0] = 2.0 / dm + rng.normal(0, 0.05, (H, H))             # brightness ~ 1/depth
    return torch.tensor(x), torch.tensor(d)
rng = np.random.default_rng(4)
xtr, dtr = scenes(256, rng); xva, dva = scenes(96, rng)

model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(),
                      nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 1, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
red = "mean" if CONTROL else "sum"
step = 0; gn_log = []
for ep in range(10):
    model.train(); perm = torch.randperm(len(xtr)); tl = []
    for i in range(0, len(xtr), 32):
        idx = perm[i:i + 32]
        loss = F.mse_loss(model(xtr[idx]), dtr[idx], reduction=red)
        opt.zero_grad(); loss.backward()
        gn = [p.grad.norm().item() for n, p in model.named_parameters() if n.endswith("weight")]
        gn_log.append(sum(g * g for g in gn) ** 0.5)
        if step < 6 or step % 16 == 0:
            print(f"step {step} loss {loss.item():.4g} grad_norm per conv layer " + " ".join(f"{g:.3g}" for g in gn))
        opt.step(); step += 1; tl.append(loss.item())
    model.eval()
    with torch.no_grad():
        pv = model(xva); mse = F.mse_loss(pv, dva).item(); mae = (pv - dva).abs().mean().item()
        absrel = ((pv - dva).abs() / dva).mean().item()
    print(f"epoch {ep} train_loss {np.mean(tl):.4g} val_mse {mse:.4g} val_mae {mae:.4g} abs_rel {absrel:.4g}")
print(f"total grad norm: first {gn_log[0]:.3g} max {np.nanmax(gn_log) if np.isfinite(gn_log).any() else float('nan'):.3g} last {gn_log[-1]:.3g}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(mse, 5), "val_mae": round(mae, 5), "abs_rel": round(absrel, 5),
      "target_var": round(dva.var().item(), 4), "grad_norm_first": round(gn_log[0], 4), "grad_norm_last": gn_log[-1]}))
