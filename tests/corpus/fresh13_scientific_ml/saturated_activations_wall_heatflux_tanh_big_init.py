# Surrogate for steady heat loss through an insulated composite wall with convection on both sides:
# q (W/m2) from insulation thickness (mm), conductivity (W/m/K), inside/outside air temperature (K)
# and wind speed (m/s). Inputs and target are standardised; tanh MLP, Adam.
# Planted cause: the hidden weights are initialised with nn.init.normal_(std=1.5) ("bigger init
# to break symmetry"), so pre-activations are O(10) and most tanh units sit at +-1.
# --control keeps PyTorch's default init (the only change). The output layer is default in both.
# expect: saturated_activations
# allow: poor_initialization, non_convergence, high_bias, vanishing_gradients, overfitting, high_variance
# forbid: *
# evidence: planted frac(|tanh|>0.99) per hidden layer [0.41, 0.81, 0.83] after training, train_mse 0.088 val_mse 0.417 (R2 0.66, RMSE 4.7 W/m2 vs std 7.25); control [0.0, 0.013, 0.10], val_mse 0.0021 (R2 0.998, RMSE 0.33 W/m2)
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
rng = np.random.default_rng(1)

def simulate(n):
    t_mm = rng.uniform(20, 200, n); k_ins = rng.uniform(0.02, 0.06, n)
    T_in = rng.uniform(291, 297, n); T_out = rng.uniform(250, 285, n); wind = rng.uniform(0, 12, n)
    h_in = 7.7; h_out = 5.7 + 3.8 * wind
    R = 1 / h_in + 0.2 / 0.8 + (t_mm / 1000) / k_ins + 1 / h_out     # 200 mm brick + insulation
    q = (T_in - T_out) / R * (1 + rng.normal(0, 0.01, n))
    return np.stack([t_mm, k_ins, T_in, T_out, wind], 1).astype(np.float32), q.astype(np.float32)

Xtr, qtr = simulate(1500); Xva, qva = simulate(500)
mu, sd = Xtr.mean(0), Xtr.std(0); qm, qs = qtr.mean(), qtr.std()
Xtr, Xva = torch.tensor((Xtr - mu) / sd), torch.tensor((Xva - mu) / sd)
ytr, yva = torch.tensor((qtr - qm) / qs)[:, None], torch.tensor((qva - qm) / qs)[:, None]

net = nn.Sequential(nn.Linear(5, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 1))
if not args.control:
    for m in list(net)[:-1]:
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0.0, 1.5)

def sat_probe():
    fr, h = [], Xva
    with torch.no_grad():
        for m in net:
            h = m(h)
            if isinstance(m, nn.Tanh):
                fr.append((h.abs() > 0.99).float().mean().item())
    return fr

print("init: frac |tanh|>0.99 per layer", [round(v, 3) for v in sat_probe()])
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
for epoch in range(40):
    perm = torch.randperm(1500)
    for i in range(0, 1500, 50):
        idx = perm[i:i + 50]
        loss = ((net(Xtr[idx]) - ytr[idx]) ** 2).mean()
        opt.zero_grad(); loss.backward(); opt.step()
    with torch.no_grad():
        tr = ((net(Xtr) - ytr) ** 2).mean().item(); va = ((net(Xva) - yva) ** 2).mean().item()
    if epoch % 10 == 0 or epoch == 39:
        print(f"epoch {epoch} train_mse {tr:.4f} val_mse {va:.4f} sat {[round(v, 3) for v in sat_probe()]}")
rmse_w = float(np.sqrt(va) * qs)
print(f"val RMSE {rmse_w:.2f} W/m2 (target std {qs:.2f} W/m2), R2 {1 - va / yva.var().item():.4f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": va, "train_loss": tr, "target_var": 1.0, "val_rmse_w_m2": rmse_w, "target_std_w_m2": float(qs), "frac_saturated": sat_probe()}))
