"""Synthetic sensor series (two seasonalities + trend + noise). A Dataset cuts sliding
windows (48 steps in, predict the next step); chronological split (train first 70%, val after
a gap); series standardised with train-segment statistics. 1D-conv model. Plain text log
$CORPUS_LOG_DIR/run.log with one line per epoch."""
# expect:
# allow:
# forbid: *
# evidence: val_mse 0.076 vs val target variance 0.99 (R^2 0.92); irreducible noise floor 0.061 in standardised units, so the early flat loss is convergence, not a plateau
# native-log: run.log
# log-expect:
# log-allow:
import os, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)

rng = np.random.RandomState(0)
t = np.arange(6000)
series = 10 + 3 * np.sin(2 * np.pi * t / 50) + 1.5 * np.sin(2 * np.pi * t / 230) + 0.0002 * t + 0.6 * rng.randn(len(t))
n_tr = int(0.7 * len(t))
mu, sd = series[:n_tr].mean(), series[:n_tr].std()
z = ((series - mu) / sd).astype(np.float32)
W = 48

class Windows(Dataset):
    def __init__(self, arr): self.a = torch.tensor(arr)
    def __len__(self): return len(self.a) - W
    def __getitem__(self, i): return self.a[i:i + W].unsqueeze(0), self.a[i + W]

tr, va = Windows(z[:n_tr]), Windows(z[n_tr + 100:])
dl_tr = DataLoader(tr, batch_size=64, shuffle=True); dl_va = DataLoader(va, batch_size=512)
model = nn.Sequential(nn.Conv1d(1, 16, 5, padding=2), nn.ReLU(), nn.Conv1d(16, 16, 5, padding=2), nn.ReLU(),
                      nn.AdaptiveAvgPool1d(8), nn.Flatten(), nn.Linear(128, 32), nn.ReLU(), nn.Linear(32, 1))
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
log = open(os.path.join(log_dir, "run.log"), "w")
for ep in range(8):
    model.train(); tot = n = 0
    for xb, yb in dl_tr:
        opt.zero_grad(); loss = nn.functional.mse_loss(model(xb).squeeze(1), yb); loss.backward(); opt.step()
        tot += loss.item() * len(yb); n += len(yb)
    model.eval(); se = m = 0; ys = []
    with torch.no_grad():
        for xb, yb in dl_va:
            se += ((model(xb).squeeze(1) - yb) ** 2).sum().item(); m += len(yb); ys.append(yb)
    var = torch.cat(ys).var().item()
    line = f"[epoch {ep:02d}] train_mse={tot/n:.4f} val_mse={se/m:.4f}"
    print(line); log.write(line + "\n"); log.flush()
log.close()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(se / m, 4), "target_var": round(var, 4), "val_r2": round(1 - se / m / var, 4), "train_mse": round(tot / n, 4),
      "noise_floor_mse": round((0.6 / sd) ** 2, 4)}))
