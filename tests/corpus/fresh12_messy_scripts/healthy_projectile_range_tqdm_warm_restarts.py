# expect:
# allow:
# forbid: *
# evidence: projectile range with drag (simulated), CosineAnnealingWarmRestarts (T_0=5, T_mult=2; loss bumps at restarts are expected): val RMSE 0.85 m, val_mse 0.73 vs target var 299 (R2 0.998), normalised train 0.0023 ~ val 0.0023
# native-log: projectile/metrics.csv
# log-expect:
# log-allow:
"""Synthetic physics regression: range of a projectile with linear drag from (v0, angle, drag, g)
(simulated with a small Euler integrator), MLP regressor, CosineAnnealingWarmRestarts, tqdm bars."""
import os, sys, json, random, tempfile, math
import numpy as np
import torch
import torch.nn as nn
from tqdm import tqdm

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
logdir = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "projectile"); os.makedirs(logdir, exist_ok=True)

def simulate(n):
    v0 = np.random.uniform(5, 30, n); ang = np.random.uniform(0.2, 1.3, n)
    k = np.random.uniform(0.0, 0.3, n); g = np.random.uniform(8.0, 11.0, n)
    vx, vy = v0 * np.cos(ang), v0 * np.sin(ang); x = np.zeros(n); yy = np.zeros(n); alive = np.ones(n, bool)
    dt = 0.01
    for _ in range(700):
        ax, ay = -k * vx, -g - k * vy
        x = np.where(alive, x + vx * dt, x); yy = np.where(alive, yy + vy * dt, yy)
        vx, vy = vx + ax * dt, vy + ay * dt
        alive &= yy >= 0
    feats = np.stack([v0, ang, k, g], 1)
    return feats, x + np.random.normal(0, 0.3, n)   # measurement noise 0.3 m

F, R = simulate(4000)
F = ((F - F.mean(0)) / F.std(0)).astype(np.float32)
rm, rs = R[:3000].mean(), R[:3000].std(); Rn = ((R - rm) / rs).astype(np.float32)
Xtr, ytr = torch.tensor(F[:3000]), torch.tensor(Rn[:3000]).unsqueeze(1)
Xva, yva = torch.tensor(F[3000:]), torch.tensor(Rn[3000:]).unsqueeze(1)
model = nn.Sequential(nn.Linear(4, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=5, T_mult=2)
fh = open(os.path.join(logdir, "metrics.csv"), "w"); fh.write("epoch,lr,train_loss,val_loss\n")
EPOCHS = 15
nb = math.ceil(len(Xtr) / 64)
for ep in range(EPOCHS):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    lr_ep = opt.param_groups[0]["lr"]
    bar = tqdm(range(0, len(Xtr), 64), desc=f"epoch {ep}", leave=False, file=sys.stderr, mininterval=1.0)
    for j, i in enumerate(bar):
        b = perm[i:i+64]
        loss = nn.functional.mse_loss(model(Xtr[b]), ytr[b]); opt.zero_grad(); loss.backward(); opt.step()
        sched.step(ep + j / nb); tot += loss.item() * len(b)
        bar.set_postfix(loss=f"{loss.item():.4f}")
    model.eval()
    with torch.no_grad():
        vl = nn.functional.mse_loss(model(Xva), yva).item()
    fh.write(f"{ep},{lr_ep:.6g},{tot/len(Xtr):.6f},{vl:.6f}\n"); fh.flush()
    tqdm.write(f"epoch {ep}: lr {lr_ep:.2e}  train_mse {tot/len(Xtr):.5f}  val_mse {vl:.5f}  (val RMSE {math.sqrt(vl)*rs:.2f} m)")
fh.close()
print("CORPUS_METRIC " + json.dumps({"val_mse": vl * rs ** 2, "target_var": float(R[3000:].var()), "val_mse_norm": vl,
                                     "train_mse_norm": tot / len(Xtr), "noise_var": 0.09}))
