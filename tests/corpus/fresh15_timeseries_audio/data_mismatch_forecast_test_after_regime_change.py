"""N-BEATS-like MLP stack forecasting a factory power-draw series 4 steps ahead. Train and val windows
come from the first period; the test period comes after a retooling (new shift cycle period 16 instead
of 24, doubled amplitude, level shift) that never appears in train/val. --control draws the test period
from the same process as train/val (no regime change). Hand-written CSV log."""
# expect: data_mismatch
# allow:
# forbid: *
# evidence: planted: train mae 0.159, val mae 0.180 (naive 0.574) but test mae 2.263 (test_mse 6.77; test naive 1.582) after the regime change; control (test from the same regime): test mae 0.184, test_mse 0.053 ~ val_mse 0.050
# control: --control
# native-log: nbeats_log.csv
# log-expect:
# log-allow:
import os, sys, json, random, tempfile, csv
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(LOG_DIR, exist_ok=True)

N, CUT = 4000, 3000
t = np.arange(N)
period = np.where((t >= CUT) & (not CONTROL), 16, 24); amp = np.where((t >= CUT) & (not CONTROL), 2.0, 1.0)
level = np.where((t >= CUT) & (not CONTROL), 1.5, 0.0)
phase = np.cumsum(2 * np.pi / period)
s = amp * np.sin(phase) + 0.3 * np.sin(2 * np.pi * t / 168) + level + 0.15 * np.random.randn(N)
mu, sd = s[:2400].mean(), s[:2400].std(); s = (s - mu) / sd
W, H = 48, 4
def windows(a, b):
    X = np.stack([s[i - W:i] for i in range(a, b - H)]).astype(np.float32)
    Y = np.stack([s[i:i + H] for i in range(a, b - H)]).astype(np.float32)
    return torch.tensor(X), torch.tensor(Y)
Xtr, Ytr = windows(W, 2400); Xva, Yva = windows(2400 + W, CUT); Xte, Yte = windows(CUT + W, N)

class Block(nn.Module):
    def __init__(self):
        super().__init__(); self.fc = nn.Sequential(nn.Linear(W, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU())
        self.back = nn.Linear(128, W); self.fore = nn.Linear(128, H)
    def forward(self, x):
        h = self.fc(x); return x - self.back(h), self.fore(h)
class NBeats(nn.Module):
    def __init__(self):
        super().__init__(); self.blocks = nn.ModuleList([Block() for _ in range(3)])
    def forward(self, x):
        f = 0
        for b in self.blocks: x, fb = b(x); f = f + fb
        return f
model = NBeats(); opt = torch.optim.Adam(model.parameters(), lr=1e-3)
logf = open(os.path.join(LOG_DIR, "nbeats_log.csv"), "w", newline=""); lw = csv.writer(logf)
lw.writerow(["epoch", "train_loss", "val_loss", "val_mae"])
def evaluate(X, Y):
    with torch.no_grad(): p = model(X); return F.mse_loss(p, Y).item(), (p - Y).abs().mean().item()
for epoch in range(15):
    model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]; loss = F.mse_loss(model(Xtr[idx]), Ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(idx)
    tl /= len(Xtr); model.eval(); vl, vm = evaluate(Xva, Yva)
    lw.writerow([epoch, f"{tl:.5f}", f"{vl:.5f}", f"{vm:.5f}"]); print(f"epoch {epoch} train_mse {tl:.4f} val_mse {vl:.4f} val_mae {vm:.4f}")
logf.close()
te_l, te_m = evaluate(Xte, Yte); tr_l, tr_m = evaluate(Xtr, Ytr)
naive = lambda X, Y: (Y - X[:, -1:]).abs().mean().item()
print(f"train mae {tr_m:.4f} | val mae {vm:.4f} (naive {naive(Xva, Yva):.4f}) | test mae {te_m:.4f} (naive {naive(Xte, Yte):.4f})")
print("CORPUS_METRIC " + json.dumps({"train_mse": round(tr_l, 4), "val_mse": round(vl, 4), "test_mse": round(te_l, 4), "val_mae": round(vm, 4),
      "test_mae": round(te_m, 4), "val_naive_mae": round(naive(Xva, Yva), 4), "test_naive_mae": round(naive(Xte, Yte), 4),
      "target_var_val": round(Yva.var().item(), 4), "target_var_test": round(Yte.var().item(), 4)}))
