"""Footfall-sensor forecaster (people per 15 min, daily cycle + Poisson noise). The GRU predicts the change
from the last count and the author rounds it inside forward() 'because counts are integers'. round()
has zero gradient, the zero-initialised deltas (start from persistence) round to 0, so the forecast is the last observed value forever
and the loss sits at the naive-baseline level. --control rounds only when reporting, not in training.
Hand-written CSV log."""
# expect: non_convergence
# allow: vanishing_gradients, learning_rate_too_low, high_bias
# forbid: *
# evidence: planted: gradient norm exactly 0 every epoch, 100% of forecasts equal the last value, train_mse flat at 39.646 for all 8 epochs, val_mse 39.20 = naive last-value MSE 39.20 (val_mae 4.582 = naive 4.582; target var 195); control (round only when reporting): val_mse 27.51, val_mae 3.813, below naive and seasonal-naive (4.550)
# control: --control
# native-log: footfall_metrics.csv
# log-expect: non_convergence
# log-allow: high_bias, learning_rate_too_low
import os, sys, json, random, tempfile, csv
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(LOG_DIR, exist_ok=True)
N = 2400; t = np.arange(N)
rate = 20 + 18 * np.sin(2 * np.pi * t / 96 - 1.5) + 6 * np.sin(2 * np.pi * t / 48)
counts = np.random.poisson(np.clip(rate, 0.5, None)).astype(np.float32)
W = 32
X = np.stack([counts[i:i + W] for i in range(N - W)]); y = counts[W:]
Xtr, ytr = torch.tensor(X[:1600]), torch.tensor(y[:1600]); Xva, yva = torch.tensor(X[1700:2300]), torch.tensor(y[1700:2300])

class DeltaGRU(nn.Module):
    def __init__(self):
        super().__init__(); self.gru = nn.GRU(1, 32, batch_first=True); self.head = nn.Linear(32, 1)
        nn.init.zeros_(self.head.weight); nn.init.zeros_(self.head.bias)   # start from persistence
    def forward(self, x):
        h = self.gru((x / 40.0).unsqueeze(-1))[0][:, -1]
        delta = self.head(h).squeeze(-1) * 10.0           # change in people per 15 min
        if not CONTROL: delta = torch.round(delta)        # BUG: integer counts enforced inside the graph
        return x[:, -1] + delta
model = DeltaGRU(); opt = torch.optim.Adam(model.parameters(), lr=3e-3)
naive_mae = (yva - Xva[:, -1]).abs().mean().item(); naive_mse = ((yva - Xva[:, -1]) ** 2).mean().item()
seas_mae = (yva - torch.tensor(counts[1700 + W - 96:2300 + W - 96])).abs().mean().item()
logf = open(os.path.join(LOG_DIR, "footfall_metrics.csv"), "w", newline=""); lw = csv.writer(logf)
lw.writerow(["epoch", "train_loss", "val_loss", "val_mae"])
for epoch in range(8):
    model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0; gsum = 0.0
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]; loss = F.mse_loss(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(idx)
        gsum += sum(p.grad.norm().item() ** 2 for p in model.parameters() if p.grad is not None) ** 0.5
    tl /= len(Xtr); model.eval()
    with torch.no_grad():
        p = model(Xva); vl = F.mse_loss(p, yva).item(); vm = (torch.round(p) - yva).abs().mean().item()
    lw.writerow([epoch, f"{tl:.4f}", f"{vl:.4f}", f"{vm:.4f}"])
    print(f"epoch {epoch} train_mse {tl:.3f} val_mse {vl:.3f} val_mae {vm:.3f} mean grad norm {gsum / 25:.3g}")
logf.close()
with torch.no_grad(): same = (model(Xva) == Xva[:, -1]).float().mean().item()
print(f"naive last-value: val MAE {naive_mae:.3f} MSE {naive_mse:.3f}; seasonal-naive(96) MAE {seas_mae:.3f}; fraction of forecasts equal to last value {same:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 3), "val_mae": round(vm, 3), "train_mse": round(tl, 3), "naive_mae": round(naive_mae, 3),
      "naive_mse": round(naive_mse, 3), "seasonal_naive_mae": round(seas_mae, 3), "target_var": round(yva.var().item(), 3), "frac_pred_equals_last": round(same, 3)}))
