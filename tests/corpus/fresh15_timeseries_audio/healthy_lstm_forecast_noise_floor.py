"""LSTM one-step forecaster on a sum of sines + noise; loss flattens at the noise floor."""
# expect:
# allow:
# forbid: *
# evidence: healthy: val_mse 0.061 plateaus near the noise floor 0.040 (target var 0.635); val_mae 0.197 beats naive last-value 0.261 and seasonal-naive(120) 0.217; train_mse 0.063 ~ val
# native-log: lstm_forecast/metrics.csv
# log-expect:
# log-allow:
import os, sys, json, random, tempfile, csv
import numpy as np, torch, torch.nn as nn
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(os.path.join(LOG_DIR, "lstm_forecast"), exist_ok=True)

NOISE = 0.2
t = np.arange(3000)
series = np.sin(2 * np.pi * t / 24) + 0.5 * np.sin(2 * np.pi * t / 60 + 1.0) + NOISE * np.random.randn(len(t))
W = 32
X = np.stack([series[i:i + W] for i in range(len(series) - W)]).astype(np.float32)
y = series[W:].astype(np.float32)
n_tr, n_va = 2000, 400
Xtr, ytr = torch.tensor(X[:n_tr]).unsqueeze(-1), torch.tensor(y[:n_tr])
Xva, yva = torch.tensor(X[n_tr:n_tr + n_va]).unsqueeze(-1), torch.tensor(y[n_tr:n_tr + n_va])

class Forecaster(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(1, 32, batch_first=True)
        self.head = nn.Linear(32, 1)
    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1]).squeeze(-1)

model = Forecaster()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
lossf = nn.MSELoss()
naive_mae = float((yva - Xva[:, -1, 0]).abs().mean())
tgt_idx = np.arange(n_tr, n_tr + n_va) + W  # position of each val target in the series
seasonal_naive_mae = float(np.abs(series[tgt_idx] - series[tgt_idx - 120]).mean())
rows = []
for epoch in range(8):
    model.train(); perm = torch.randperm(n_tr); tl = 0.0
    for i in range(0, n_tr, 64):
        idx = perm[i:i + 64]
        loss = lossf(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tl += loss.item() * len(idx)
    tl /= n_tr
    model.eval()
    with torch.no_grad():
        p = model(Xva); vl = lossf(p, yva).item(); vmae = (p - yva).abs().mean().item()
    rows.append((epoch, tl, vl, vmae))
    print(f"epoch {epoch} train_mse {tl:.4f} val_mse {vl:.4f} val_mae {vmae:.4f}")
with open(os.path.join(LOG_DIR, "lstm_forecast", "metrics.csv"), "w", newline="") as f:
    w = csv.writer(f); w.writerow(["epoch", "train_loss", "val_loss", "val_mae"])
    for r in rows: w.writerow([r[0], f"{r[1]:.6f}", f"{r[2]:.6f}", f"{r[3]:.6f}"])
print(f"noise floor mse {NOISE**2:.4f}  naive last-value MAE {naive_mae:.4f}  seasonal-naive(120) MAE {seasonal_naive_mae:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(rows[-1][2], 4), "val_mae": round(rows[-1][3], 4),
      "train_mse": round(rows[-1][1], 4), "noise_var": NOISE**2, "target_var": round(float(yva.var()), 4),
      "naive_mae": round(naive_mae, 4), "seasonal_naive_mae": round(seasonal_naive_mae, 4)}))
