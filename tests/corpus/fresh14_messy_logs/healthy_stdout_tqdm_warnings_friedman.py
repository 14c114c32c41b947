"""Regression on make_friedman1 (noise sd 1.0) with an MLP. The native log is what `python
train.py 2>&1 | tee train.log` captures: tqdm progress bars redrawn with carriage returns (with a
running loss postfix), a Python UserWarning and a DeprecationWarning interleaved, and logging
lines with timestamps carrying the epoch summaries (train_loss, val_loss, val_r2)."""
# expect:
# allow:
# forbid: *
# evidence: healthy: val_mse 1.35 vs target variance 24.1 (R2 0.944; noise floor mse 1.0), train_mse 0.96; val_loss flat 1.35-1.41 over the last 15 epochs
# native-log: train.log
# log-expect:
# log-allow:
import os, json, random, tempfile, datetime
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import make_friedman1

torch.manual_seed(0); np.random.seed(0); random.seed(0); torch.set_num_threads(1)
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(logdir, exist_ok=True)
X, y = make_friedman1(n_samples=1500, noise=1.0, random_state=0)
X = (X - 0.5) / 0.29
ym, ys = y[:1000].mean(), y[:1000].std()
Xtr, Xva = torch.tensor(X[:1000], dtype=torch.float32), torch.tensor(X[1000:], dtype=torch.float32)
ytr, yva = torch.tensor((y[:1000] - ym) / ys, dtype=torch.float32), torch.tensor(y[1000:], dtype=torch.float32)
model = nn.Sequential(nn.Linear(10, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 1))
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
EPOCHS = 30
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=12, gamma=0.3)
log = open(os.path.join(logdir, "train.log"), "w")
t = datetime.datetime(2026, 3, 14, 9, 26, 53)
def stamp():
    global t; t += datetime.timedelta(milliseconds=137); return t.strftime("%Y-%m-%d %H:%M:%S,") + f"{t.microsecond // 1000:03d}"
log.write(f"{stamp()} INFO __main__: starting run friedman-mlp, 1000 train / 500 val\n")
log.write("/opt/conda/lib/python3.11/site-packages/torch/utils/data/dataloader.py:617: UserWarning: This DataLoader will create 4 worker processes in total. Our suggested max number of worker in current system is 2.\n  warnings.warn(\n")
nb = 1000 // 32 + 1
for ep in range(EPOCHS):
    model.train(); perm = torch.randperm(1000); tot = n = 0
    bar = f"Epoch {ep+1}/{EPOCHS}:   0%|          | 0/{nb} [00:00<?, ?it/s]"
    for k, i in enumerate(range(0, 1000, 32)):
        idx = perm[i:i + 32]
        loss = nn.functional.mse_loss(model(Xtr[idx]).squeeze(1), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(idx); n += len(idx)
        if k % 8 == 7 or k == nb - 1:
            pct = int(100 * (k + 1) / nb); fill = "█" * (pct // 10)
            bar += f"\rEpoch {ep+1}/{EPOCHS}: {pct:3d}%|{fill:<10}| {k+1}/{nb} [00:00<00:00, {310 + k:.1f}it/s, loss={loss.item():.3f}]"
    log.write(bar + "\n")
    sched.step()
    if ep == 0:
        log.write("/opt/conda/lib/python3.11/site-packages/torch/optim/lr_scheduler.py:62: UserWarning: The verbose parameter is deprecated. Please use get_last_lr() to access the learning rate.\n  warnings.warn(\n")
    model.eval()
    with torch.no_grad():
        pred = model(Xva).squeeze(1) * ys + ym
        vmse = nn.functional.mse_loss(pred, yva).item()
    r2 = 1 - vmse / yva.var().item()
    tl = tot / n * ys ** 2
    log.write(f"{stamp()} INFO __main__: epoch={ep+1} train_loss={tl:.4f} val_loss={vmse:.4f} val_r2={r2:.4f} lr={opt.param_groups[0]['lr']:.2e}\n")
    if ep == 17:
        log.write("sys:1: DeprecationWarning: datetime.datetime.utcnow() is deprecated\n")
log.write(f"{stamp()} INFO __main__: done. best val_loss={vmse:.4f}\n"); log.close()
print(f"train_mse {tl:.3f} val_mse {vmse:.3f} r2 {r2:.3f} var {yva.var().item():.2f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vmse, 4), "train_mse": round(tl, 4), "target_var": round(yva.var().item(), 3), "val_r2": round(r2, 4)}))
