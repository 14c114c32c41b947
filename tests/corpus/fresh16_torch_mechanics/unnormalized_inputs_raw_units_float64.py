# expect: unnormalized_inputs
# allow: non_convergence, high_bias, learning_rate_too_low, saturated_activations, vanishing_gradients
# forbid: *
# evidence: planted: raw feature means [1.0e5, 320, 1.3e-3, 0.49], stds [1.2e4, 23, 4.4e-4, 0.29]; val_mse 1.606 vs target variance 1.598 (no better than the mean); control (standardised) val_mse 0.0048, train_mse 0.0051 (noise 0.0025)
# control: --control
# native-log: tb_runs
# log-expect:
# log-allow: non_convergence, high_bias, learning_rate_too_low
"""float64 regression on synthetic process data given in raw physical units: pressure in Pa
(~1e5), temperature in K (~300), flow in m^3/s (~1e-3), a ratio in [0,1]. The MLP sees the raw
values (one feature 1e8 times larger than another); the target depends on all four. Logged to
TensorBoard. --control: the same features standardised with train-set mean/std (the only change)."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn
from torch.utils.tensorboard import SummaryWriter
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_default_dtype(torch.float64)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
rng = np.random.default_rng(0); N = 2000
P = rng.uniform(0.8e5, 1.2e5, N); T = rng.uniform(280, 360, N); Q = rng.uniform(0.5e-3, 2e-3, N); r = rng.uniform(0, 1, N)
zP, zT, zQ = (P - 1e5) / 1.15e4, (T - 320) / 23, (Q - 1.25e-3) / 4.3e-4
yv = np.sin(1.5 * zP) + 0.8 * zT * zQ + np.cos(3 * r) + 0.05 * rng.standard_normal(N)
X = np.stack([P, T, Q, r], 1)
Xtr, Xva, ytr, yva = X[:1500], X[1500:], yv[:1500], yv[1500:]
if CONTROL:
    mu, sd = Xtr.mean(0), Xtr.std(0); Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd
print("feature means:", np.round(Xtr.mean(0), 4), "stds:", np.round(Xtr.std(0), 6))
Xtr, Xva, ytr, yva = map(torch.tensor, (Xtr, Xva, ytr, yva))
model = nn.Sequential(nn.Linear(4, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
w = SummaryWriter(os.path.join(LOG_DIR, "tb_runs"))
for ep in range(40):
    perm = torch.randperm(1500); tot = 0.0
    for i in range(0, 1500, 50):
        idx = perm[i:i + 50]
        loss = ((model(Xtr[idx]).squeeze(1) - ytr[idx]) ** 2).mean()
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    with torch.no_grad(): vl = ((model(Xva).squeeze(1) - yva) ** 2).mean().item()
    w.add_scalar("train/loss", tot / 1500, ep); w.add_scalar("val/loss", vl, ep)
    if ep % 8 == 0 or ep == 39: print(f"epoch {ep} train_mse {tot/1500:.4f} val_mse {vl:.4f}")
w.close()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 4), "train_mse": round(tot / 1500, 4), "target_var": round(yva.var().item(), 4), "noise_var": 0.0025}))
