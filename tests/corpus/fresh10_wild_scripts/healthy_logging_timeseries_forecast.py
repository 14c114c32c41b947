# One-step-ahead forecaster for a noisy multi-seasonal series (sliding windows -> MLP),
# progress written with the logging module to train.log. StepLR schedule.
# expect:
# allow:
# forbid: *
# evidence: healthy forecaster; val_mse 0.045 vs target var 0.985, injected noise var 0.033, naive last-value mse 0.133; train_mse 0.036
# native-log: train.log
# log-expect:
# log-allow:
import os, json, logging, tempfile
import numpy as np
import torch
import torch.nn as nn

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
logging.basicConfig(filename=os.path.join(LOG_DIR, "train.log"), level=logging.INFO,
                    format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("forecast")
torch.set_num_threads(1); torch.manual_seed(2); np.random.seed(2)
rng = np.random.default_rng(2)

T, W, NOISE = 6000, 48, 0.15
t = np.arange(T)
series = (np.sin(2 * np.pi * t / 24) + 0.5 * np.sin(2 * np.pi * t / 168) + 0.3 * np.sin(2 * np.pi * t / 7.3) * np.cos(2 * np.pi * t / 50)
          + 0.0001 * t + rng.normal(0, NOISE, T)).astype(np.float32)
split = 4800
mu, sd = series[:split].mean(), series[:split].std()
s = (series - mu) / sd
Xw = np.lib.stride_tricks.sliding_window_view(s[:-1], W)
yw = s[W:]
idx_tr = np.arange(0, split - W); idx_va = np.arange(split - W, len(yw))
Xtr, ytr = torch.tensor(Xw[idx_tr].copy()), torch.tensor(yw[idx_tr].copy())
Xva, yva = torch.tensor(Xw[idx_va].copy()), torch.tensor(yw[idx_va].copy())

model = nn.Sequential(nn.Linear(W, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=8, gamma=0.3)
mse = nn.MSELoss()
log.info("config window=%d train=%d val=%d lr=%g", W, len(Xtr), len(Xva), 2e-3)
for epoch in range(20):
    model.train()
    perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(perm), 32):
        b = perm[i:i + 32]
        loss = mse(model(Xtr[b]).squeeze(1), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(b)
    sched.step()
    model.eval()
    with torch.no_grad():
        vl = mse(model(Xva).squeeze(1), yva).item()
    log.info("epoch=%d train_loss=%.5f val_loss=%.5f lr=%.2e", epoch, tot / len(Xtr), vl, opt.param_groups[0]["lr"])
    print(f"epoch {epoch} train {tot/len(Xtr):.4f} val {vl:.4f}")
with torch.no_grad():
    tl = mse(model(Xtr).squeeze(1), ytr).item()
naive = float(((yva[1:] - yva[:-1]) ** 2).mean())
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 4), "train_mse": round(tl, 4), "target_var": round(float(yva.var()), 4), "noise_var": round(float(NOISE / sd) ** 2, 4), "naive_last_value_mse": round(naive, 4)}))
