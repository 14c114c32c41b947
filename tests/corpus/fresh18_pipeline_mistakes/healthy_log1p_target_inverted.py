"""Synthetic 'order value' regression with a heavy-tailed (log-normal) target. The target is
transformed with log1p for training and inverted with expm1 for the reported metric. Features
standardised with train statistics. CSV log ($CORPUS_LOG_DIR/history.csv) of the log-space losses."""
# expect:
# allow:
# forbid: *
# evidence: original units (after expm1): val_mse 145 vs target variance 825 (R^2 0.82); log space: val_mse 0.067 vs log-target variance 0.66, train_mse 0.060
# native-log: history.csv
# log-expect:
# log-allow:
import os, json, random, csv, tempfile
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader
from sklearn.model_selection import train_test_split

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)

rng = np.random.RandomState(0)
N = 3000
X = rng.randn(N, 8)
logy = 3.0 + 0.6 * X[:, 0] - 0.4 * X[:, 1] + 0.3 * X[:, 2] * X[:, 3] + 0.25 * np.sin(2 * X[:, 4]) + 0.2 * rng.randn(N)
y = np.expm1(logy)                               # raw target: order value in currency units, heavy tail
X = X * np.array([1, 5, 0.2, 10, 1, 3, 2, 1]) + np.array([0, 50, 1, -20, 0, 7, 0, 3])
X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.2, random_state=0)
mu, sd = X_tr.mean(0), X_tr.std(0)
X_tr, X_va = (X_tr - mu) / sd, (X_va - mu) / sd
t_tr, t_va = np.log1p(y_tr), np.log1p(y_va)
print(f"raw target: mean {y_tr.mean():.1f} max {y_tr.max():.1f}; log1p target var {t_tr.var():.3f}")

T = lambda a: torch.tensor(a, dtype=torch.float32)
dl = DataLoader(TensorDataset(T(X_tr), T(t_tr)), batch_size=64, shuffle=True)
Xv, tv = T(X_va), T(t_va)
model = nn.Sequential(nn.Linear(8, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=25)
with open(os.path.join(log_dir, "history.csv"), "w", newline="") as f:
    w = csv.writer(f); w.writerow(["epoch", "lr", "train_loss", "val_loss"])
    for ep in range(25):
        model.train(); tot = n = 0
        for xb, tb in dl:
            opt.zero_grad(); loss = nn.functional.mse_loss(model(xb).squeeze(1), tb); loss.backward(); opt.step()
            tot += loss.item() * len(tb); n += len(tb)
        lr = opt.param_groups[0]["lr"]; sched.step()
        model.eval()
        with torch.no_grad():
            pv = model(Xv).squeeze(1); vl = nn.functional.mse_loss(pv, tv).item()
        w.writerow([ep, f"{lr:.6f}", round(tot / n, 5), round(vl, 5)])
        print(f"epoch {ep} lr {lr:.5f} train_mse_log {tot/n:.4f} val_mse_log {vl:.4f}")
pred_raw = np.expm1(pv.numpy())
val_mse = float(np.mean((pred_raw - y_va) ** 2)); var = float(np.var(y_va))
print(f"original units: val_mse {val_mse:.1f} target var {var:.1f} R2 {1 - val_mse / var:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 2), "target_var": round(var, 2), "val_r2": round(1 - val_mse / var, 4),
      "val_mse_log": round(vl, 4), "target_var_log": round(float(t_va.var()), 4), "train_mse_log": round(tot / n, 4)}))
