# Materials regression with very few specimens: yield strength (MPa) from composition, tempering
# temperature and grain size. Planted cause: only 30 tested specimens are available for training,
# and a 3x128 ReLU MLP is trained full-batch with Adam for 400 epochs without regularisation: it
# memorises the 30 points (train error far below the 15 MPa lab scatter) while the validation error
# bottoms out early and then stalls. --control trains the same net on 1500 specimens (the only change).
# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (30 specimens): train RMSE -> 0.0 MPa (train mse 1e-15) while val RMSE bottoms at 53.3 MPa at epoch 50 and stalls at 53.4 (val target std 107, lab scatter 15); control (1500 specimens, same net): val RMSE 22.3 MPa (best 21.4), train 8.3 MPa
# control: --control
# native-log: runs/overfit_log.csv
# log-expect: overfitting
# log-allow: high_variance
import os, csv, json, random, argparse, tempfile
import numpy as np
import torch
import torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
args = ap.parse_args()
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "runs")
os.makedirs(log_dir, exist_ok=True)
rng = np.random.default_rng(7)

def specimens(n):
    C = rng.uniform(0.05, 0.6, n); Mn = rng.uniform(0.3, 1.8, n); Si = rng.uniform(0.1, 0.6, n)
    Cr = rng.uniform(0, 2.0, n); Ni = rng.uniform(0, 3.0, n); Mo = rng.uniform(0, 0.6, n)
    T = rng.uniform(673, 973, n); d = rng.uniform(3, 60, n)
    s = (120 + 600 * d ** -0.5 + 32 * Mn + 83 * Si + 30 * Cr + 15 * Ni + 60 * Mo
         + 900 * C * np.exp(-(T - 673) / 180) + 80 * Mo * np.tanh((T - 850) / 40))
    return np.stack([C, Mn, Si, Cr, Ni, Mo, T, d], 1), s + rng.normal(0, 15.0, n)

Xtr, ytr = specimens(1500 if args.control else 30)
Xva, yva = specimens(300)
mu, sd = Xtr.mean(0), Xtr.std(0); ym, ys = ytr.mean(), ytr.std()
f32 = lambda a: torch.tensor(a, dtype=torch.float32)
Xtr_t, Xva_t = f32((Xtr - mu) / sd), f32((Xva - mu) / sd)
ytr_t, yva_t = f32((ytr - ym) / ys)[:, None], f32((yva - ym) / ys)[:, None]

net = nn.Sequential(nn.Linear(8, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 1))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
rmse = lambda p, y: float(np.sqrt(((p * ys + ym - y) ** 2).mean()))
f = open(os.path.join(log_dir, "overfit_log.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["epoch", "train_loss", "val_loss", "train_rmse_mpa", "val_rmse_mpa"])
best = (1e9, -1)
for epoch in range(400):
    loss = ((net(Xtr_t) - ytr_t) ** 2).mean()
    opt.zero_grad(); loss.backward(); opt.step()
    if epoch % 10 == 0 or epoch == 399:
        with torch.no_grad():
            vl = ((net(Xva_t) - yva_t) ** 2).mean().item()
            tr_r, va_r = rmse(net(Xtr_t).numpy()[:, 0], ytr), rmse(net(Xva_t).numpy()[:, 0], yva)
        best = min(best, (va_r, epoch))
        w.writerow([epoch, loss.item(), vl, tr_r, va_r])
        if epoch % 100 == 0 or epoch == 399:
            print(f"epoch {epoch} train_mse {loss.item():.5f} val_mse {vl:.4f} | train RMSE {tr_r:.1f} MPa  val RMSE {va_r:.1f} MPa")
f.close()
print(f"best val RMSE {best[0]:.1f} MPa at epoch {best[1]}; final {va_r:.1f} MPa; lab scatter 15 MPa; val target std {yva.std():.1f} MPa")
print("CORPUS_METRIC " + json.dumps({"train_rmse_mpa": tr_r, "val_rmse_mpa": va_r, "best_val_rmse_mpa": best[0], "val_mse": (va_r / yva.std()) ** 2, "target_var": 1.0, "train_loss": loss.item()}))
