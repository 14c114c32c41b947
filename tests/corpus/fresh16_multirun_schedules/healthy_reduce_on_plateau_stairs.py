# expect:
# allow:
# forbid: *
# evidence: val_mse 0.0149 vs target variance 1.25 (R2 0.988, noise var 0.01); lr printed 1e-2 -> 2e-3 (epoch 16) -> 4e-4 (epoch 24), train_mse steps down 0.0166 -> 0.0125 at the first reduction
# native-log: tb
# log-expect:
# log-allow:
"""Regression MLP on a synthetic smooth function with Adam + ReduceLROnPlateau (factor 0.2,
patience 2). The lr is printed every epoch; each reduction makes the loss drop in a stair.
Logged to TensorBoard (SummaryWriter) under $CORPUS_LOG_DIR/tb."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn
from torch.utils.tensorboard import SummaryWriter

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
writer = SummaryWriter(os.path.join(LOG_DIR, "tb"))

rng = np.random.default_rng(0)
def make(n):
    X = rng.uniform(-2, 2, size=(n, 6)).astype(np.float32)
    y = np.sin(2 * X[:, 0]) + 0.5 * X[:, 1] * X[:, 2] + 0.3 * X[:, 3] ** 2 - 0.4 * X[:, 4] + rng.normal(0, 0.1, n)
    return torch.tensor(X), torch.tensor(y, dtype=torch.float32).unsqueeze(1)
Xtr, ytr = make(2000); Xva, yva = make(500)
mu, sd = ytr.mean(), ytr.std()
ytr_n, yva_n = (ytr - mu) / sd, (yva - mu) / sd

model = nn.Sequential(nn.Linear(6, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.2, patience=2)
lossf = nn.MSELoss()
step = 0
for ep in range(30):
    perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 100):
        idx = perm[i:i + 100]
        loss = lossf(model(Xtr[idx]), ytr_n[idx])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
        tot += loss.item() * len(idx)
        writer.add_scalar("train/loss_step", loss.item(), step)
    with torch.no_grad():
        vl = lossf(model(Xva), yva_n).item()
    tl = tot / len(Xtr)
    lr = opt.param_groups[0]["lr"]
    writer.add_scalar("train/loss", tl, ep); writer.add_scalar("val/loss", vl, ep); writer.add_scalar("lr", lr, ep)
    print(f"epoch {ep:2d} lr {lr:.2e} train_mse {tl:.4f} val_mse {vl:.4f}")
    sched.step(vl)
writer.close()
with torch.no_grad():
    val_mse = ((model(Xva) * sd + mu - yva) ** 2).mean().item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 4), "target_var": round(yva.var().item(), 4),
                                     "noise_var": 0.01, "train_loss": round(tl, 4), "final_lr": lr}))
