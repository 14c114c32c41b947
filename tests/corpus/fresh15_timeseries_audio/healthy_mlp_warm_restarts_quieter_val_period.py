"""MLP forecaster (next 3 steps) for a vibration-amplitude sensor whose measurement noise is lower in
the later (validation) period after a sensor firmware update, so val MAE is below train MAE. Trained
with SGD + CosineAnnealingWarmRestarts (T_0=3 epochs, doubling): the loss bumps up after every restart.
Hand-written CSV log with epoch,lr,train_loss,val_loss,val_mae."""
# expect:
# allow:
# forbid: *
# evidence: healthy: val_mse 0.0283 near the val-period noise floor 0.0225 and train_mse 0.121 ~ train-period noise 0.1225; val MAE 0.138 < train MAE 0.276 because the later period is quieter; naive last-value val MAE 0.500; loss bumps after each SGDR restart (e.g. val_mse 0.028 -> 0.058 at epoch 9)
# native-log: sgdr_metrics.csv
# log-expect:
# log-allow:
import os, sys, json, random, tempfile, csv
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(LOG_DIR, exist_ok=True)
N = 3000; t = np.arange(N)
clean = 1.2 * np.sin(2 * np.pi * t / 30) + 0.6 * np.sin(2 * np.pi * t / 11 + 0.5) + 0.3 * np.sin(2 * np.pi * t / 97)
noise_sd = np.where(t < 2000, 0.35, 0.15)
s = (clean + noise_sd * np.random.randn(N)).astype(np.float32)
W, H = 40, 3
X = np.stack([s[i - W:i] for i in range(W, N - H)]); Y = np.stack([s[i:i + H] for i in range(W, N - H)])
Xtr, Ytr = torch.tensor(X[:1900]), torch.tensor(Y[:1900]); Xva, Yva = torch.tensor(X[2000:]), torch.tensor(Y[2000:])
model = nn.Sequential(nn.Linear(W, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, H))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
nb = (len(Xtr) + 31) // 32; sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=3 * nb, T_mult=2)
f = open(os.path.join(LOG_DIR, "sgdr_metrics.csv"), "w", newline=""); w = csv.writer(f); w.writerow(["epoch", "lr", "train_loss", "val_loss", "val_mae"])
for epoch in range(21):
    model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0; lr0 = opt.param_groups[0]["lr"]
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]; loss = F.mse_loss(model(Xtr[idx]), Ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); sched.step(); tl += loss.item() * len(idx)
    tl /= len(Xtr); model.eval()
    with torch.no_grad(): p = model(Xva); vl = F.mse_loss(p, Yva).item(); vm = (p - Yva).abs().mean().item()
    w.writerow([epoch, f"{lr0:.5f}", f"{tl:.5f}", f"{vl:.5f}", f"{vm:.5f}"])
    print(f"epoch {epoch} lr {lr0:.4f} train_mse {tl:.4f} val_mse {vl:.4f} val_mae {vm:.4f}")
f.close()
with torch.no_grad(): tr_mae = (model(Xtr) - Ytr).abs().mean().item()
naive = (Yva - Xva[:, -1:]).abs().mean().item()
print(f"train MAE {tr_mae:.4f} val MAE {vm:.4f}; noise var train 0.1225 / val 0.0225; naive last-value val MAE {naive:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 4), "val_mae": round(vm, 4), "train_mse": round(tl, 4), "train_mae": round(tr_mae, 4),
      "noise_var_val": 0.0225, "noise_var_train": 0.1225, "naive_mae": round(naive, 4), "target_var": round(Yva.var().item(), 4)}))
