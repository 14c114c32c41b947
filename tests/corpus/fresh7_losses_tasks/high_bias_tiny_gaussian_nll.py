# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: planted (width 4) train NLL 1.730 = val 1.721, train MSE 1.91 of target var 2.82 (constant-Gaussian NLL 1.94), loss flat over the last 10 epochs; control (width 96) train NLL 0.895, val NLL 0.936, val MSE 0.487 (noise var ~0.45)
# control: --control
"""Planted: a model far too small (4 hidden units per layer) for a heteroscedastic regression with nn.GaussianNLLLoss (mean + variance heads).

Sensor-calibration style data: 10 standardised inputs, a smooth nonlinear mean and a noise level
that depends on two of the inputs.  Two-headed MLP (mean, softplus variance) of width 4 (planted; --control: width 96, nothing else changes), Adam lr=1e-3 with
cosine decay, batch 64, 30 epochs.  Metrics: held-out Gaussian NLL (reference: a constant
Gaussian fitted to the train targets), held-out MSE of the mean vs the target variance, and the
calibration of the predicted variance (mean of z^2, ideal 1.0).
"""
import argparse, json, math
import torch, torch.nn as nn, torch.nn.functional as F

torch.set_num_threads(1); torch.manual_seed(0)
ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()
D = 10

def make(n, g):
    x = torch.randn(n, D, generator=g)
    mu = 1.5 * torch.sin(1.5 * x[:, 0]) + x[:, 1] * x[:, 2] + 0.5 * x[:, 3].abs() + 0.3 * x[:, 4]
    sd = 0.1 + 0.6 * torch.sigmoid(2 * x[:, 5]) + 0.3 * x[:, 6].abs().clamp(max=2)
    return x, mu + sd * torch.randn(n, generator=g)

g = torch.Generator().manual_seed(1)
xtr, ytr = make(6000, g); xva, yva = make(2000, g)
WIDTH = 96 if args.control else 4  # planted: tiny capacity

class Net(nn.Module):
    def __init__(s):
        super().__init__()
        s.body = nn.Sequential(nn.Linear(D, WIDTH), nn.SiLU(), nn.Linear(WIDTH, WIDTH), nn.SiLU())
        s.mu = nn.Linear(WIDTH, 1); s.var = nn.Linear(WIDTH, 1)
    def forward(s, x):
        h = s.body(x); return s.mu(h).squeeze(1), F.softplus(s.var(h)).squeeze(1) + 1e-4

m = Net(); crit = nn.GaussianNLLLoss(full=True)
EPOCHS = 30; opt = torch.optim.Adam(m.parameters(), lr=1e-3)
sch = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS)
for ep in range(EPOCHS):
    perm = torch.randperm(len(xtr)); tot = 0.0; nb = 0
    for i in range(0, len(xtr), 64):
        b = perm[i:i + 64]; mu, var = m(xtr[b]); loss = crit(mu, ytr[b], var)
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item(); nb += 1
    sch.step()
    with torch.no_grad():
        mu, var = m(xva); vl = float(crit(mu, yva, var)); mse = float(((mu - yva) ** 2).mean()); z2 = float(((mu - yva) ** 2 / var).mean())
    print(f"epoch {ep+1} nll {tot/nb:.4f} val_nll {vl:.4f} val_mse {mse:.4f} val_z2 {z2:.3f}")
with torch.no_grad(): mt, vt = m(xtr); tl = float(crit(mt, ytr, vt)); tmse = float(((mt - ytr) ** 2).mean())
const = 0.5 * math.log(2 * math.pi * float(ytr.var())) + 0.5 * float(((yva - ytr.mean()) ** 2).mean()) / float(ytr.var())
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_mse": round(mse, 4), "val_z2": round(z2, 4), "train_loss": round(tl, 4), "train_mse": round(tmse, 4), "target_var": round(float(yva.var()), 4), "constant_gaussian_nll": round(const, 4)}))
