"""Dilated causal TCN forecasting an AR(2) process, heavy dropout: val MAE below train MAE (dropout is
active while train loss is measured). JSON-lines log."""
# expect:
# allow:
# forbid: *
# evidence: healthy: val_mse 0.174 (noise floor 0.118, target var 1.07), val_mae 0.332 beats naive last-value 0.441; train mse 0.252 > val only because dropout p=0.5 is on during training
# native-log: tcn_log.jsonl
# log-expect:
# log-allow:
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(1); np.random.seed(1); random.seed(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

# AR(2): x_t = 1.5 x_{t-1} - 0.75 x_{t-2} + e_t
N = 4000; x = np.zeros(N); e = np.random.randn(N) * 0.3
for i in range(2, N): x[i] = 1.5 * x[i-1] - 0.75 * x[i-2] + e[i]
raw_std = x[:2500].std(); x = (x - x[:2500].mean()) / raw_std
noise_floor_mse = (0.3 / raw_std) ** 2
W = 32
X = np.stack([x[i:i + W] for i in range(N - W)]).astype(np.float32); y = x[W:].astype(np.float32)
Xtr, ytr = torch.tensor(X[:1500]).unsqueeze(1), torch.tensor(y[:1500])
Xva, yva = torch.tensor(X[2600:3400]).unsqueeze(1), torch.tensor(y[2600:3400])

class CausalConv(nn.Module):
    def __init__(self, cin, cout, k, d):
        super().__init__(); self.pad = (k - 1) * d; self.conv = nn.Conv1d(cin, cout, k, dilation=d)
    def forward(self, x): return self.conv(F.pad(x, (self.pad, 0)))

class TCN(nn.Module):
    def __init__(self, ch=16, p=0.5):
        super().__init__()
        self.inp = nn.Conv1d(1, ch, 1)
        self.blocks = nn.ModuleList([CausalConv(ch, ch, 3, d) for d in (1, 2, 4, 8)])
        self.drop = nn.Dropout(p); self.head = nn.Linear(ch, 1)
    def forward(self, x):
        h = self.inp(x)
        for b in self.blocks: h = h + self.drop(F.relu(b(h)))
        return self.head(self.drop(h[:, :, -1])).squeeze(-1)

model = TCN()
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
naive_mae = float((yva - Xva[:, 0, -1]).abs().mean())
logf = open(os.path.join(LOG_DIR, "tcn_log.jsonl"), "w")
for epoch in range(8):
    model.train(); perm = torch.randperm(len(Xtr)); tl = tm = 0.0
    for i in range(0, len(Xtr), 50):
        idx = perm[i:i + 50]; p = model(Xtr[idx]); loss = F.mse_loss(p, ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tl += loss.item() * len(idx); tm += (p - ytr[idx]).abs().sum().item()
    tl /= len(Xtr); tm /= len(Xtr)
    model.eval()
    with torch.no_grad():
        p = model(Xva); vl = F.mse_loss(p, yva).item(); vm = (p - yva).abs().mean().item()
    rec = {"epoch": epoch, "train_loss": round(tl, 5), "train_mae": round(tm, 5), "val_loss": round(vl, 5), "val_mae": round(vm, 5), "lr": 2e-3}
    logf.write(json.dumps(rec) + "\n"); print(rec)
logf.close()
print(f"naive last-value val MAE {naive_mae:.4f}  noise-floor MSE {noise_floor_mse:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 4), "val_mae": round(vm, 4), "train_mse_dropout_on": round(tl, 4),
      "train_mae_dropout_on": round(tm, 4), "naive_mae": round(naive_mae, 4), "noise_floor_mse": round(noise_floor_mse, 4), "target_var": round(float(yva.var()), 4)}))
