# Tabular materials regression: yield strength (MPa) of low-alloy steels from composition (wt% C,
# Mn, Si, Cr, Ni, Mo), tempering temperature (K) and grain size (um) -- 900 rows (700 train / 200 val) from a synthetic
# Hall-Petch + solid-solution + tempering model with lab scatter (sd 15 MPa). Everything in
# float64 (torch.set_default_dtype), inputs/targets standardised, small MLP, AdamW with weight
# decay, batch size 16 (noisy loss), best-val checkpoint. Reports MAE vs the mean baseline and R2.
# expect:
# allow:
# forbid: *
# evidence: best-val checkpoint: val MAE 13.1 MPa vs mean-baseline MAE 84.9 MPa, val RMSE 17.0 MPa vs target std 110.8 and lab scatter 15 MPa (Bayes floor), R2 0.976; train RMSE 14.6 MPa (at the floor, small gap); batch-16 loss is noisy
# native-log: steel_fit.csv
# log-expect:
# log-allow:
import os, csv, json, copy, random, tempfile
import numpy as np
import torch
import torch.nn as nn

torch.set_default_dtype(torch.float64)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
rng = np.random.default_rng(42)
N, SCATTER = 900, 15.0

C = rng.uniform(0.05, 0.6, N); Mn = rng.uniform(0.3, 1.8, N); Si = rng.uniform(0.1, 0.6, N)
Cr = rng.uniform(0, 2.0, N); Ni = rng.uniform(0, 3.0, N); Mo = rng.uniform(0, 0.6, N)
T_temper = rng.uniform(673, 973, N); d_um = rng.uniform(3, 60, N)
sigma = (120 + 600 * d_um ** -0.5 * 1.0 + 32 * Mn + 83 * Si + 30 * Cr + 15 * Ni + 60 * Mo
         + 900 * C * np.exp(-(T_temper - 673) / 180) + 80 * Mo * np.tanh((T_temper - 850) / 40))
y = sigma + rng.normal(0, SCATTER, N)
X = np.stack([C, Mn, Si, Cr, Ni, Mo, T_temper, d_um], 1)
idx = rng.permutation(N); tr, va = idx[:700], idx[700:]
mu, sd = X[tr].mean(0), X[tr].std(0); ym, ys = y[tr].mean(), y[tr].std()
Xt = torch.tensor((X - mu) / sd); yt = torch.tensor((y - ym) / ys)[:, None]

net = nn.Sequential(nn.Linear(8, 32), nn.GELU(), nn.Linear(32, 32), nn.GELU(), nn.Linear(32, 1))
opt = torch.optim.AdamW(net.parameters(), lr=2e-3, weight_decay=1e-2)
best, best_state = float("inf"), None
f = open(os.path.join(log_dir, "steel_fit.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["epoch", "train_loss", "val_loss", "val_mae_mpa"])
for epoch in range(70):
    perm = tr[rng.permutation(len(tr))]; tot = 0.0
    for i in range(0, len(perm), 16):
        b = perm[i:i + 16]
        loss = ((net(Xt[b]) - yt[b]) ** 2).mean()
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(b)
    with torch.no_grad():
        pv = net(Xt[va]); vl = ((pv - yt[va]) ** 2).mean().item()
        mae = ((pv - yt[va]).abs().mean() * ys).item()
    w.writerow([epoch, tot / len(tr), vl, mae])
    if vl < best:
        best, best_state, best_ep = vl, copy.deepcopy(net.state_dict()), epoch
    if epoch % 10 == 0 or epoch == 69:
        print(f"epoch {epoch:3d} train_mse {tot/len(tr):.4f} val_mse {vl:.4f} val_MAE {mae:.1f} MPa")
f.close()
net.load_state_dict(best_state)
with torch.no_grad():
    pv = net(Xt[va])[:, 0].numpy() * ys + ym
    ptr = net(Xt[tr])[:, 0].numpy() * ys + ym
mae = float(np.abs(pv - y[va]).mean()); mae_base = float(np.abs(y[va] - y[tr].mean()).mean())
rmse = float(np.sqrt(((pv - y[va]) ** 2).mean())); r2 = 1 - ((pv - y[va]) ** 2).sum() / ((y[va] - y[va].mean()) ** 2).sum()
print(f"best epoch {best_ep}: val MAE {mae:.1f} MPa (mean baseline {mae_base:.1f}), RMSE {rmse:.1f} MPa (target std {y.std():.1f}, scatter {SCATTER}), R2 {r2:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_mae_mpa": mae, "baseline_mae_mpa": mae_base, "val_rmse_mpa": rmse, "val_r2": float(r2), "val_mse": (rmse / ys) ** 2, "target_var": float((y[va].std() / ys) ** 2), "train_rmse_mpa": float(np.sqrt(((ptr - y[tr]) ** 2).mean()))}))
