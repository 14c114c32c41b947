"""GRU encoder-decoder forecasting 12 steps of a noisy two-season sensor series. Trained with teacher
forcing (the train loss is computed with the true previous values fed to the decoder; the step loss
is noisy with batch 32), evaluated free-running over all 12 steps. Still clearly beats the naive and seasonal-naive baselines.
TensorBoard event dir via SummaryWriter."""
# expect:
# allow:
# forbid: *
# evidence: healthy: free-running 12-step val_mse 0.093, val_mae 0.247 vs naive last-value MAE 1.162 and seasonal-naive(24) 0.703 (target var 0.944); teacher-forced train_mse 0.104
# native-log: tb_seq2seq
# log-expect:
# log-allow:
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
writer = SummaryWriter(os.path.join(LOG_DIR, "tb_seq2seq"))
N = 3000; t = np.arange(N)
s = np.sin(2 * np.pi * t / 24) + 0.5 * np.sin(2 * np.pi * t / 9) + 0.25 * np.random.randn(N)
s = ((s - s[:2000].mean()) / s[:2000].std()).astype(np.float32)
W, H = 36, 12
idx = np.arange(W, N - H)
X = np.stack([s[i - W:i] for i in idx]); Y = np.stack([s[i:i + H] for i in idx])
tr, va = idx < 2000, idx >= 2200
Xtr, Ytr, Xva, Yva = map(lambda a: torch.tensor(a).unsqueeze(-1), (X[tr], Y[tr], X[va], Y[va]))
Xtr, Ytr = Xtr[::2], Ytr[::2]

class Seq2Seq(nn.Module):
    def __init__(self, h=32):
        super().__init__(); self.enc = nn.GRU(1, h, batch_first=True); self.dec = nn.GRU(1, h, batch_first=True); self.out = nn.Linear(h, 1)
    def forward(self, x, y=None):
        _, hN = self.enc(x)
        if y is not None:   # teacher forcing: decoder sees the true previous values
            dec_in = torch.cat([x[:, -1:], y[:, :-1]], 1); o, _ = self.dec(dec_in, hN); return self.out(o)
        prev, h, outs = x[:, -1:], hN, []
        for _ in range(H):
            o, h = self.dec(prev, h); prev = self.out(o); outs.append(prev)
        return torch.cat(outs, 1)
model = Seq2Seq(); opt = torch.optim.Adam(model.parameters(), lr=3e-3)
naive_mae = (Yva - Xva[:, -1:]).abs().mean().item()
seas_mae = (Yva - Xva[:, -24:-24 + H]).abs().mean().item()   # seasonal-naive, lag 24
step = 0
for epoch in range(10):
    model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0
    for i in range(0, len(Xtr), 32):
        b = perm[i:i + 32]; loss = F.mse_loss(model(Xtr[b], Ytr[b]), Ytr[b])
        opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(b)
        writer.add_scalar("loss/train_step", loss.item(), step); step += 1
    tl /= len(Xtr); model.eval()
    with torch.no_grad():
        p = model(Xva); vl = F.mse_loss(p, Yva).item(); vm = (p - Yva).abs().mean().item()
    writer.add_scalar("loss/train", tl, epoch); writer.add_scalar("loss/val", vl, epoch); writer.add_scalar("metrics/val_mae", vm, epoch)
    print(f"epoch {epoch} train_mse(teacher-forced) {tl:.4f} val_mse(free-running) {vl:.4f} val_mae {vm:.4f}")
writer.close()
print(f"baselines: naive last-value MAE {naive_mae:.4f}, seasonal-naive(24) MAE {seas_mae:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 4), "val_mae": round(vm, 4), "train_mse_teacher_forced": round(tl, 4), "naive_mae": round(naive_mae, 4),
      "seasonal_naive_mae": round(seas_mae, 4), "target_var": round(Yva.var().item(), 4)}))
