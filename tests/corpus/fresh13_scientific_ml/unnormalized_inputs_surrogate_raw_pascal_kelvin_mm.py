# Engineering surrogate, written quickly: a ReLU MLP maps raw simulator inputs straight from the
# design sheet -- pipe length (m), diameter (mm), velocity (m/s), temperature (K, ~300) and inlet
# pressure (Pa, ~1e5..6e5) -- to the (standardised) log10 pressure drop. Planted cause: the inputs
# are fed in physical units, unnormalised (column scales from ~1 to ~1e5).
# --control standardises the inputs with train mean/std (the only change).
# expect: unnormalized_inputs
# allow: non_convergence, learning_rate_too_high, high_bias, exploding_gradients
# forbid: *
# evidence: control (standardised inputs) val_mse 0.0032 (R2 0.997) in standardised target units; planted (raw Pa/K/mm, column std 0.78 .. 1.4e5) val_mse 18.2 (R2 -17, worse than predicting the mean), train loss 9e5 in epoch 0 and spiking to 5300 at epoch 35
# control: --control
# native-log: history.csv
# log-expect:
# log-allow: non_convergence, learning_rate_too_high, high_bias, exploding_gradients
import os, csv, json, random, tempfile, argparse
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

def simulate(n):
    L = rng.uniform(1, 50, n); D_mm = rng.uniform(10, 100, n); v = rng.uniform(0.3, 3, n)
    T_K = rng.uniform(280, 360, n); P = rng.uniform(1e5, 6e5, n)
    mu = 2.414e-5 * 10 ** (247.8 / (T_K - 140)); rho = 1000 * (1 + 4.6e-10 * (P - 1e5))
    D = D_mm / 1000; Re = rho * v * D / mu; f = 0.316 * Re ** -0.25
    dP = f * (L / D) * rho * v ** 2 / 2
    X = np.stack([L, D_mm, v, T_K, P], 1)
    y = np.log10(dP) + rng.normal(0, 0.01, n)
    return X.astype(np.float32), y.astype(np.float32)

Xtr, ytr = simulate(2000)
Xva, yva = simulate(500)
print("input column std:", np.round(Xtr.std(0), 2))
if args.control:
    m, s = Xtr.mean(0), Xtr.std(0)
    Xtr, Xva = (Xtr - m) / s, (Xva - m) / s
ym, ys = ytr.mean(), ytr.std()
Xtr, Xva = torch.tensor(Xtr), torch.tensor(Xva)
ytr_t, yva_t = torch.tensor((ytr - ym) / ys)[:, None], torch.tensor((yva - ym) / ys)[:, None]

net = nn.Sequential(nn.Linear(5, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
f = open(os.path.join(log_dir, "history.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["epoch", "train_loss", "val_loss"])
for epoch in range(40):
    perm = torch.randperm(2000); tot = 0.0
    for i in range(0, 2000, 64):
        idx = perm[i:i + 64]
        loss = ((net(Xtr[idx]) - ytr_t[idx]) ** 2).mean()
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(idx)
    with torch.no_grad():
        vl = ((net(Xva) - yva_t) ** 2).mean().item()
    w.writerow([epoch, tot / 2000, vl])
    if epoch % 5 == 0 or epoch == 39:
        print(f"epoch {epoch} train_mse {tot/2000:.4f} val_mse {vl:.4f}")
f.close()
with torch.no_grad():
    pred = net(Xva)
r2 = 1 - ((pred - yva_t) ** 2).sum().item() / ((yva_t - yva_t.mean()) ** 2).sum().item()
print(f"val R2 {r2:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": vl, "target_var": 1.0, "val_r2": r2, "train_loss": tot / 2000}))
