# Surrogate for a pipe-flow simulator: pressure drop (Pa) from Darcy-Weisbach with Blasius friction.
# Inputs in physical units: pipe length (m), inner diameter (mm), mean velocity (m/s),
# water temperature (K, sets viscosity), inlet pressure (Pa, sets density slightly).
# Done properly: inputs standardised with train statistics, target = log10(dP) standardised,
# AdamW + cosine schedule; metrics reported back in Pa and in log space. Writes JSON lines.
# expect:
# allow:
# forbid: *
# evidence: val R2 (log10 dP) 0.995, RMSE of log10 dP 0.047 vs target std 0.66 (mean-baseline MAE 0.53), MAPE on dP 7.8%; standardised val_mse 0.0050 vs train 0.0050 (no gap)
# native-log: surrogate_metrics.jsonl
# log-expect:
# log-allow:
import os, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
rng = np.random.default_rng(0)

def simulate(n):
    L = rng.uniform(1, 50, n)            # m
    D_mm = rng.uniform(10, 100, n)       # mm
    v = rng.uniform(0.3, 3.0, n)         # m/s
    T_K = rng.uniform(280, 360, n)       # K
    P_in = rng.uniform(1e5, 6e5, n)      # Pa
    mu = 2.414e-5 * 10 ** (247.8 / (T_K - 140.0))   # Pa s (water)
    rho = 1000.0 * (1 + 4.6e-10 * (P_in - 1e5))       # kg/m3
    D = D_mm / 1000.0
    Re = rho * v * D / mu
    f = 0.316 * Re ** -0.25
    dP = f * (L / D) * rho * v ** 2 / 2
    dP_meas = dP * 10 ** rng.normal(0, 0.01, n)       # sensor noise, 0.01 decades
    X = np.stack([L, D_mm, v, T_K, P_in], 1)
    return X.astype(np.float32), dP_meas.astype(np.float64)

Xtr, ptr = simulate(2000)
Xva, pva = simulate(500)
x_mean, x_std = Xtr.mean(0), Xtr.std(0)
ytr, yva = np.log10(ptr), np.log10(pva)
y_mean, y_std = ytr.mean(), ytr.std()
to_t = lambda a: torch.tensor(a, dtype=torch.float32)
Xtr_t, Xva_t = to_t((Xtr - x_mean) / x_std), to_t((Xva - x_mean) / x_std)
ytr_t, yva_t = to_t((ytr - y_mean) / y_std)[:, None], to_t((yva - y_mean) / y_std)[:, None]

net = nn.Sequential(nn.Linear(5, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 1))
EPOCHS, BS = 40, 64
opt = torch.optim.AdamW(net.parameters(), lr=3e-3, weight_decay=1e-4)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS * ((len(Xtr_t) + BS - 1) // BS))
logf = open(os.path.join(log_dir, "surrogate_metrics.jsonl"), "w")
for epoch in range(EPOCHS):
    perm = torch.randperm(len(Xtr_t))
    tot = 0.0
    for i in range(0, len(perm), BS):
        idx = perm[i:i + BS]
        loss = nn.functional.mse_loss(net(Xtr_t[idx]), ytr_t[idx])
        opt.zero_grad(); loss.backward(); opt.step(); sched.step()
        tot += loss.item() * len(idx)
    with torch.no_grad():
        val_loss = nn.functional.mse_loss(net(Xva_t), yva_t).item()
    rec = {"epoch": epoch, "train_loss": tot / len(perm), "val_loss": val_loss, "lr": sched.get_last_lr()[0]}
    logf.write(json.dumps(rec) + "\n")
    if epoch % 5 == 0 or epoch == EPOCHS - 1:
        print(rec)
logf.close()
with torch.no_grad():
    pred_log = net(Xva_t).numpy()[:, 0] * y_std + y_mean
rmse_log = float(np.sqrt(np.mean((pred_log - yva) ** 2)))
r2 = 1 - np.sum((pred_log - yva) ** 2) / np.sum((yva - yva.mean()) ** 2)
mape = float(np.mean(np.abs(10 ** pred_log - pva) / pva))
mae_base = float(np.mean(np.abs(yva - ytr.mean())))
print(f"val: RMSE(log10 dP) {rmse_log:.4f}  target std {yva.std():.3f}  R2 {r2:.4f}  MAPE(dP) {mape:.3%}  mean-baseline MAE {mae_base:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": val_loss, "target_var": 1.0, "val_r2": float(r2), "val_rmse_log10": rmse_log, "val_mape_pa": mape, "train_loss": tot / len(perm)}))
