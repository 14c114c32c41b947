# Surrogate for a forced, damped single-degree-of-freedom oscillator: steady-state amplitude (mm)
# from forcing frequency (Hz), stiffness (N/m), mass (kg), damping ratio and force amplitude (N).
# Inputs standardised, target log10(amplitude) standardised, Adam. Measurement noise is known
# (0.02 decades), so the Bayes MSE is known: 0.0020 in standardised units.
# Planted cause: the surrogate has a single hidden layer of 2 ReLU units -> far too small for the
# resonance peak; it underfits its own training data. --control uses 2 hidden layers of 64.
# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: Bayes MSE (noise) 0.0020; control (64x64) train_mse 0.0052 val_mse 0.0090 (R2 0.99); planted (2 units) train_mse 0.132 val_mse 0.124 (R2 0.87), train error 65x the noise floor
# control: --control
import json, random, argparse
import numpy as np
import torch
import torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
args = ap.parse_args()
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
rng = np.random.default_rng(0)
NOISE = 0.02

def simulate(n):
    f_hz = rng.uniform(1, 20, n); k = rng.uniform(2e3, 2e4, n); m = rng.uniform(1, 5, n)
    zeta = rng.uniform(0.05, 0.3, n); F = rng.uniform(10, 100, n)
    w = 2 * np.pi * f_hz; w0 = np.sqrt(k / m)
    amp_mm = F / m / np.sqrt((w0 ** 2 - w ** 2) ** 2 + (2 * zeta * w0 * w) ** 2) * 1000
    X = np.stack([f_hz, k, m, zeta, F], 1)
    y = np.log10(amp_mm) + rng.normal(0, NOISE, n)
    return X.astype(np.float32), y.astype(np.float32)

Xtr, ytr = simulate(1500); Xva, yva = simulate(500)
mu, sd = Xtr.mean(0), Xtr.std(0)
Xtr, Xva = torch.tensor((Xtr - mu) / sd), torch.tensor((Xva - mu) / sd)
ym, ys = ytr.mean(), ytr.std()
ytr_t, yva_t = torch.tensor((ytr - ym) / ys)[:, None], torch.tensor((yva - ym) / ys)[:, None]
bayes = (NOISE / ys) ** 2
print(f"target std (log10 mm) {ys:.3f}; Bayes MSE in standardised units {bayes:.4f}")

if args.control:
    net = nn.Sequential(nn.Linear(5, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
else:
    net = nn.Sequential(nn.Linear(5, 2), nn.ReLU(), nn.Linear(2, 1))
opt = torch.optim.Adam(net.parameters(), lr=3e-3)
for epoch in range(40):
    perm = torch.randperm(1500)
    for i in range(0, 1500, 50):
        idx = perm[i:i + 50]
        loss = ((net(Xtr[idx]) - ytr_t[idx]) ** 2).mean()
        opt.zero_grad(); loss.backward(); opt.step()
    with torch.no_grad():
        tr = ((net(Xtr) - ytr_t) ** 2).mean().item(); va = ((net(Xva) - yva_t) ** 2).mean().item()
    if epoch % 5 == 0 or epoch == 39:
        print(f"epoch {epoch:2d} train_mse {tr:.4f} val_mse {va:.4f} (bayes {bayes:.4f})")
r2 = 1 - va / yva_t.var().item()
rmse_dec = float(np.sqrt(va)) * ys
print(f"val R2 {r2:.3f}, RMSE {rmse_dec:.3f} decades of amplitude")
print("CORPUS_METRIC " + json.dumps({"val_mse": va, "train_mse": tr, "train_loss": tr, "target_var": 1.0, "bayes_mse": float(bayes), "val_r2": r2}))
