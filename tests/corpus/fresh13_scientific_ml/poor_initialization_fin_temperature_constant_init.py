# Surrogate for the temperature profile along a cooling fin (adiabatic tip):
# theta(x) = cosh(m (L - x)) / cosh(m L), T = T_inf + (T_base - T_inf) theta, with x in mm,
# fin parameter m (1/m) and base temperature T_base (K) as inputs (standardised), T in K as target
# (standardised). tanh MLP 3x64, Adam.
# Planted cause: "for reproducibility" every Linear layer is initialised with
# nn.init.constant_(weight, 0.05) and zero bias -> all hidden units in a layer compute the same
# function and receive identical gradients forever (symmetry never broken): the 64-wide net
# behaves like a 1-unit-wide one. --control keeps PyTorch's default random init (only change).
# expect: poor_initialization
# allow: high_bias, non_convergence, saturated_activations
# forbid: *
# evidence: planted: 1 distinct unit response out of 64 in layer 1 at init and after 30 epochs, val RMSE 10.5 K (R2 0.86, val_mse 0.145 std units, train 0.154); control (default init): 64 distinct units, val RMSE 0.71 K (R2 0.9994, sensor noise 0.3 K)
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
rng = np.random.default_rng(5)
L_mm, T_INF = 60.0, 295.0

def fin(n):
    x = rng.uniform(0, L_mm, n); m = rng.uniform(5, 60, n); Tb = rng.uniform(330, 420, n)
    theta = np.cosh(m * (L_mm - x) / 1000) / np.cosh(m * L_mm / 1000)
    T = T_INF + (Tb - T_INF) * theta + rng.normal(0, 0.3, n)
    return np.stack([x, m, Tb], 1).astype(np.float32), T.astype(np.float32)

Xtr, ytr = fin(2000); Xva, yva = fin(500)
mu, sd = Xtr.mean(0), Xtr.std(0); ym, ys = float(ytr.mean()), float(ytr.std())
Xtr, Xva = torch.tensor((Xtr - mu) / sd), torch.tensor((Xva - mu) / sd)
ytr_t, yva_t = torch.tensor((ytr - ym) / ys)[:, None], torch.tensor((yva - ym) / ys)[:, None]

net = nn.Sequential(nn.Linear(3, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 1))
if not args.control:
    for m in net:
        if isinstance(m, nn.Linear):
            nn.init.constant_(m.weight, 0.05); nn.init.zeros_(m.bias)

def distinct_units():
    with torch.no_grad():
        h = net[1](net[0](Xva[:200]))
        return int(torch.unique(h.T.round(decimals=5), dim=0).shape[0])

print(f"distinct hidden-unit responses in layer 1 at init: {distinct_units()} of 64")
opt = torch.optim.Adam(net.parameters(), lr=2e-3)
for epoch in range(30):
    perm = torch.randperm(2000)
    for i in range(0, 2000, 64):
        idx = perm[i:i + 64]
        loss = ((net(Xtr[idx]) - ytr_t[idx]) ** 2).mean()
        opt.zero_grad(); loss.backward(); opt.step()
    with torch.no_grad():
        tr = ((net(Xtr) - ytr_t) ** 2).mean().item(); va = ((net(Xva) - yva_t) ** 2).mean().item()
    if epoch % 5 == 0 or epoch == 29:
        print(f"epoch {epoch:2d} train_mse {tr:.4f} val_mse {va:.4f} distinct units {distinct_units()}")
rmse_K = va ** 0.5 * ys
print(f"val RMSE {rmse_K:.2f} K (target std {ys:.2f} K, sensor noise 0.3 K), R2 {1 - va / yva_t.var().item():.4f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": va, "train_loss": tr, "target_var": 1.0, "val_rmse_K": rmse_K, "target_std_K": ys, "distinct_units_layer1": distinct_units()}))
