# Surrogate for a damped oscillator's displacement x(t; omega, gamma) = exp(-gamma t) cos(omega t)
# + sensor noise. An MLP takes (t [s], omega [rad/s], gamma [1/s]) and is trained on t in [0, 6] s.
# Validation: random held-out points from the same window. Test: the forecast window the lab cares
# about, t in [6, 10] s -- drawn differently (extrapolation in time). train/val/test MSE per epoch
# are logged to CSV. Planted cause: the test split is an extrapolation window.
# --control draws the test split i.i.d. from the training window (only change).
# expect: data_mismatch
# allow: high_variance, overfitting
# forbid: *
# evidence: planted: train_mse 0.00175, val_mse 0.00189, test_mse (t in 6..10 s) 0.467 = 9x the test target variance 0.052; control (i.i.d. test from 0..6 s): test_mse 0.0030 next to val 0.0019; noise floor 0.0004
# control: --control
# native-log: oscillator_metrics.csv
# log-expect: data_mismatch
# log-allow: high_variance, overfitting
import os, csv, json, random, argparse, tempfile
import numpy as np
import torch
import torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
args = ap.parse_args()
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
rng = np.random.default_rng(0)
NOISE = 0.02

def sample(n, t_lo, t_hi):
    t = rng.uniform(t_lo, t_hi, n); om = rng.uniform(1.0, 3.0, n); ga = rng.uniform(0.05, 0.3, n)
    x = np.exp(-ga * t) * np.cos(om * t) + rng.normal(0, NOISE, n)
    return np.stack([t, om, ga], 1).astype(np.float32), x.astype(np.float32)

Xtr, ytr = sample(3000, 0, 6)
Xva, yva = sample(600, 0, 6)
Xte, yte = sample(600, 0, 6) if args.control else sample(600, 6, 10)
mu, sd = Xtr.mean(0), Xtr.std(0)
T = lambda a: torch.tensor((a - mu) / sd)
Xtr_t, Xva_t, Xte_t = T(Xtr), T(Xva), T(Xte)
ytr_t, yva_t, yte_t = (torch.tensor(a)[:, None] for a in (ytr, yva, yte))

net = nn.Sequential(nn.Linear(3, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(net.parameters(), lr=3e-3)
sched = torch.optim.lr_scheduler.StepLR(opt, 15, 0.3)
mse = lambda X, y: ((net(X) - y) ** 2).mean().item()
f = open(os.path.join(log_dir, "oscillator_metrics.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["epoch", "train_loss", "val_loss", "test_loss"])
for epoch in range(40):
    perm = torch.randperm(len(Xtr_t))
    for i in range(0, len(perm), 64):
        idx = perm[i:i + 64]
        loss = ((net(Xtr_t[idx]) - ytr_t[idx]) ** 2).mean()
        opt.zero_grad(); loss.backward(); opt.step()
    sched.step()
    with torch.no_grad():
        tr, va, te = mse(Xtr_t, ytr_t), mse(Xva_t, yva_t), mse(Xte_t, yte_t)
    w.writerow([epoch, tr, va, te])
    print(f"epoch {epoch:2d} train_mse {tr:.5f} val_mse {va:.5f} test_mse {te:.5f}")
f.close()
print(f"noise floor {NOISE**2:.5f}; val target var {yva.var():.4f}; test target var {yte.var():.4f}")
print("CORPUS_METRIC " + json.dumps({"train_loss": tr, "val_mse": va, "test_mse": te, "target_var_val": float(yva.var()), "target_var_test": float(yte.var()), "noise_var": NOISE ** 2}))
