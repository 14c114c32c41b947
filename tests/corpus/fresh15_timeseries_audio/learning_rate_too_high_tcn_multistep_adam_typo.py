"""Dilated causal TCN forecasting the next 8 steps of a noisy daily-seasonal load series, Adam at lr=0.2
(a '2e-1' typed for '2e-3'). --control uses lr=2e-3.
Logs to TensorBoard via torch.utils.tensorboard.SummaryWriter."""
# expect: learning_rate_too_high
# allow: exploding_gradients, non_finite, non_convergence, high_bias
# forbid: *
# evidence: planted (Adam lr=0.2): step loss jumps from 1.57 to 520 and 1898 within the first 9 steps, epoch-0 train_mse 180, final val_mse 0.507 / val_mae 0.543 (worse than seasonal-naive MAE 0.338); control (lr=2e-3): val_mse 0.066, val_mae 0.206 (target var 0.986)
# control: --control
# native-log: tb_tcn
# log-expect: learning_rate_too_high
# log-allow: non_convergence, high_bias, exploding_gradients, non_finite
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LR = 2e-3 if CONTROL else 0.2
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
writer = SummaryWriter(os.path.join(LOG_DIR, "tb_tcn"))

t = np.arange(3000)
s = 1.0 * np.sin(2 * np.pi * t / 24) + 0.4 * np.sin(2 * np.pi * t / 168) + 0.15 * np.random.randn(len(t))
s = (s - s[:2000].mean()) / s[:2000].std()
W, H = 48, 8
X = np.stack([s[i:i + W] for i in range(len(s) - W - H)]).astype(np.float32)
Y = np.stack([s[i + W:i + W + H] for i in range(len(s) - W - H)]).astype(np.float32)
Xtr, Ytr = torch.tensor(X[:1500]).unsqueeze(1), torch.tensor(Y[:1500])
Xva, Yva = torch.tensor(X[2100:2900]).unsqueeze(1), torch.tensor(Y[2100:2900])

class TCN(nn.Module):
    def __init__(self, ch=16):
        super().__init__()
        self.inp = nn.Conv1d(1, ch, 1)
        self.convs = nn.ModuleList([nn.Conv1d(ch, ch, 3, dilation=d) for d in (1, 2, 4, 8)])
        self.head = nn.Linear(ch, H)
    def forward(self, x):
        h = self.inp(x)
        for c in self.convs: h = h + F.relu(c(F.pad(h, (2 * c.dilation[0], 0))))
        return self.head(h[:, :, -1])
model = TCN()
opt = torch.optim.Adam(model.parameters(), lr=LR)
naive_mae = float((Yva - Xva[:, 0, -1:]).abs().mean()); seasonal_mae = float((Yva - Xva[:, 0, -24:-24 + H]).abs().mean())
step = 0
for epoch in range(6):
    model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0; n = 0
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]; loss = F.mse_loss(model(Xtr[idx]), Ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        writer.add_scalar("train/loss_step", loss.item(), step); step += 1
        tl += loss.item() * len(idx); n += len(idx)
    tl /= n; model.eval()
    with torch.no_grad():
        p = model(Xva); vl = F.mse_loss(p, Yva).item(); vm = (p - Yva).abs().mean().item()
    writer.add_scalar("train/loss", tl, epoch); writer.add_scalar("val/loss", vl, epoch)
    writer.add_scalar("val/mae", vm, epoch); writer.add_scalar("lr", LR, epoch)
    print(f"epoch {epoch} train_mse {tl:.4g} val_mse {vl:.4g} val_mae {vm:.4g}")
writer.close()
print(f"baselines on val: naive last-value MAE {naive_mae:.4f}, seasonal-naive(24) MAE {seasonal_mae:.4f}")
fin = lambda v: round(v, 4) if np.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({"val_mse": fin(vl), "val_mae": fin(vm), "train_mse": fin(tl), "target_var": round(float(Yva.var()), 4),
      "naive_mae": round(naive_mae, 4), "seasonal_naive_mae": round(seasonal_mae, 4)}))
