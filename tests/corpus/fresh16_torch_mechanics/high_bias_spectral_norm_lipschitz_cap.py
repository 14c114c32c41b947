# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: planted (spectral_norm on every layer, net slope <= 1): train_mse 0.495, val_mse 0.464 vs target variance 0.630 and noise 0.0025; control (no spectral_norm) train_mse 0.024, val_mse 0.022
# control: --control
# native-log: curves.csv
# log-expect:
# log-allow: high_bias, non_convergence
"""Regression of a steep, noise-free-ish 1D target (y = sin(6x) + 0.5*x on [-2,2], noise std 0.05)
with an MLP whose every Linear layer is wrapped in torch.nn.utils.parametrizations.spectral_norm
"for stability" (borrowed from a GAN critic). Each layer is 1-Lipschitz and tanh is 1-Lipschitz,
so the whole net has slope <= 1 and cannot follow a target with slope up to ~6: it underfits
train and val alike. --control: the same MLP without spectral_norm (the only change)."""
import os, sys, json, random, tempfile, csv
import numpy as np, torch, torch.nn as nn
from torch.nn.utils.parametrizations import spectral_norm
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
def data(n):
    x = torch.rand(n, 1) * 4 - 2
    return x, torch.sin(6 * x) + 0.5 * x + 0.05 * torch.randn(n, 1)
Xtr, ytr = data(1500); Xva, yva = data(500)
def L(a, b): return nn.Linear(a, b) if CONTROL else spectral_norm(nn.Linear(a, b))
model = nn.Sequential(L(1, 64), nn.Tanh(), L(64, 64), nn.Tanh(), L(64, 64), nn.Tanh(), L(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
f = open(os.path.join(LOG_DIR, "curves.csv"), "w", newline=""); wr = csv.writer(f)
wr.writerow(["epoch", "train_loss", "val_loss"])
for ep in range(25):
    model.train(); perm = torch.randperm(1500); tot = 0.0
    for i in range(0, 1500, 50):
        idx = perm[i:i + 50]
        loss = ((model(Xtr[idx]) - ytr[idx]) ** 2).mean()
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad(): vl = ((model(Xva) - yva) ** 2).mean().item(); tl = ((model(Xtr) - ytr) ** 2).mean().item()
    wr.writerow([ep, round(tl, 6), round(vl, 6)])
    if ep % 8 == 0 or ep == 24: print(f"epoch {ep} train_mse {tl:.4f} val_mse {vl:.4f}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 4), "train_mse": round(tl, 4), "target_var": round(yva.var().item(), 4), "noise_var": 0.0025}))
