# Heteroscedastic calibration of a thermocouple: an MLP maps (EMF in mV, cold-junction temperature
# in K, standardised) to the hot-junction temperature, predicting a mean and a variance, trained
# with the Gaussian negative log-likelihood 0.5*(log var + (y-mu)^2/var). Sensor noise grows with
# temperature. Planted cause: the variance head is used raw ("var = out[:,1] + 1.0", positive at
# init) instead of through softplus; as the NLL pushes var down it crosses zero and log(var) of a
# negative value gives NaN, which then poisons the weights. --control uses softplus(out[:,1]) + 1e-6.
# expect: non_finite
# allow: exploding_gradients, learning_rate_too_high, non_convergence
# forbid: *
# evidence: planted: epoch-mean train NLL is NaN in epochs 0,1,3-6 and 27 (log of a negative variance in some batches), final val RMSE 26.0 K, val NLL +0.02; control (softplus): every loss finite, val NLL -3.59, val RMSE 4.3 K (noise sd ~2.5 K, target std 261 K)
# control: --control
# native-log: nll_log.csv
# log-expect: non_finite
# log-allow: exploding_gradients, learning_rate_too_high, non_convergence
import os, csv, json, math, random, argparse, tempfile
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
    T_hot = rng.uniform(300, 1200, n)                    # K
    T_cj = rng.uniform(288, 308, n)                      # K
    emf = 0.041 * (T_hot - T_cj) + 2e-6 * (T_hot - T_cj) ** 2   # mV, type-K-like
    noise_sd = 0.5 + 4.0 * (T_hot - 300) / 900               # K, grows with temperature
    y = T_hot + rng.normal(0, 1, n) * noise_sd
    return np.stack([emf, T_cj], 1).astype(np.float32), y.astype(np.float32), noise_sd

Xtr, ytr, _ = simulate(1500); Xva, yva, sd_va = simulate(500)
mu, sd = Xtr.mean(0), Xtr.std(0); ym, ys = float(ytr.mean()), float(ytr.std())
Xtr_t, Xva_t = torch.tensor((Xtr - mu) / sd), torch.tensor((Xva - mu) / sd)
ytr_t, yva_t = torch.tensor((ytr - ym) / ys), torch.tensor((yva - ym) / ys)

net = nn.Sequential(nn.Linear(2, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 2))

def head(out):
    mean = out[:, 0]
    var = nn.functional.softplus(out[:, 1]) + 1e-6 if args.control else out[:, 1] + 1.0
    return mean, var

def nll(out, y):
    mean, var = head(out)
    return (0.5 * (torch.log(var) + (y - mean) ** 2 / var)).mean()

opt = torch.optim.Adam(net.parameters(), lr=3e-3)
f = open(os.path.join(log_dir, "nll_log.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["epoch", "train_nll", "val_nll", "val_rmse_K"])
for epoch in range(30):
    perm = torch.randperm(1500); tot, nb = 0.0, 0
    for i in range(0, 1500, 50):
        idx = perm[i:i + 50]
        loss = nll(net(Xtr_t[idx]), ytr_t[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item(); nb += 1
    with torch.no_grad():
        out = net(Xva_t); vn = nll(out, yva_t).item()
        rmse_K = (((head(out)[0] - yva_t) ** 2).mean().sqrt() * ys).item()
    w.writerow([epoch, tot / nb, vn, rmse_K])
    if epoch % 3 == 0 or epoch == 29:
        print(f"epoch {epoch} train_nll {tot/nb:.4f} val_nll {vn:.4f} val_rmse {rmse_K:.3f} K (noise sd ~{sd_va.mean():.2f} K)")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_nll": vn, "val_rmse_K": rmse_K, "target_std_K": float(ys), "val_mse": (rmse_K / ys) ** 2 if math.isfinite(rmse_K) else None, "target_var": 1.0, "train_loss": tot / nb}))
