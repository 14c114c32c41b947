"""Small Transformer encoder (2 layers, d=32, learned positional embedding) forecasting the next value of
an AR(3) process plus a weekly cycle from 28-step windows. AdamW with linear warmup then cosine decay
to ~0: the lr curve rises and falls; the loss flattens near the innovation-noise floor. JSON-lines log."""
# expect:
# allow:
# forbid: *
# evidence: healthy: val_mse 0.249 near innovation-noise floor 0.209 (target var 1.01), val_mae 0.406 vs naive last-value 0.723 and seasonal-naive(7) 0.721; lr warms up then cosine-decays to 0
# native-log: transformer_ar.jsonl
# log-expect:
# log-allow:
import os, sys, json, random, tempfile, math
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(LOG_DIR, exist_ok=True)
N = 3000; x = np.zeros(N); e = 0.4 * np.random.randn(N)
for i in range(3, N): x[i] = 0.6 * x[i - 1] + 0.2 * x[i - 2] - 0.3 * x[i - 3] + e[i]
x = x + np.sin(2 * np.pi * np.arange(N) / 7)
mu, sd = x[:2000].mean(), x[:2000].std(); x = ((x - mu) / sd).astype(np.float32); floor = (0.4 / sd) ** 2
W = 28
X = np.stack([x[i - W:i] for i in range(W, N)]); Y = x[W:]
Xtr, Ytr = torch.tensor(X[:1100]).unsqueeze(-1), torch.tensor(Y[:1100]); Xva, Yva = torch.tensor(X[2000:2800]).unsqueeze(-1), torch.tensor(Y[2000:2800])
class TSTransformer(nn.Module):
    def __init__(self, d=32):
        super().__init__(); self.inp = nn.Linear(1, d); self.pos = nn.Parameter(torch.randn(1, W, d) * 0.02)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, 64, dropout=0.0, batch_first=True), 2); self.head = nn.Linear(d, 1)
    def forward(self, x): return self.head(self.enc(self.inp(x) + self.pos)[:, -1]).squeeze(-1)
model = TSTransformer(); EPOCHS, BS = 8, 64; steps = EPOCHS * math.ceil(len(Xtr) / BS); warm = steps // 10
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / (steps - warm))))
naive = (Yva - Xva[:, -1, 0]).abs().mean().item(); seas = (Yva - Xva[:, -7, 0]).abs().mean().item()
logf = open(os.path.join(LOG_DIR, "transformer_ar.jsonl"), "w")
for epoch in range(EPOCHS):
    model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0
    for i in range(0, len(Xtr), BS):
        idx = perm[i:i + BS]; loss = F.mse_loss(model(Xtr[idx]), Ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); sched.step(); tl += loss.item() * len(idx)
    tl /= len(Xtr); model.eval()
    with torch.no_grad(): p = model(Xva); vl = F.mse_loss(p, Yva).item(); vm = (p - Yva).abs().mean().item()
    rec = {"epoch": epoch, "lr": opt.param_groups[0]["lr"], "train_loss": round(tl, 5), "val_loss": round(vl, 5), "val_mae": round(vm, 5)}
    logf.write(json.dumps(rec) + "\n"); print(rec)
logf.close()
print(f"noise floor mse {floor:.4f}; naive last-value MAE {naive:.4f}; seasonal-naive(7) MAE {seas:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 4), "val_mae": round(vm, 4), "train_mse": round(tl, 4), "noise_floor_mse": round(floor, 4),
      "naive_mae": round(naive, 4), "seasonal_naive_mae": round(seas, 4), "target_var": round(Yva.var().item(), 4)}))
