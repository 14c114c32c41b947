"""Nonlinear tabular regression (y = sin(2 x1) * x2 + x3^2 - x4 x5 + noise 0.1) with an MLP,
linear warm-up then cosine decay. stdout and the JSON logger both went to metrics.jsonl, so the
file mixes nested JSON records ({"step", "metrics": {"train": {...}, "val": {...}}}) with stray
plain-text lines ('Saving model to ...', a pandas FutureWarning) and one record where val was
skipped ("val": null)."""
# expect:
# allow:
# forbid: *
# evidence: healthy: val_mse 0.020 vs target variance 1.26 (R2 0.98; noise floor 0.01), train_mse 0.018
# native-log: metrics.jsonl
# log-expect:
# log-allow:
import os, json, random, tempfile, math
import numpy as np, torch, torch.nn as nn

torch.manual_seed(0); np.random.seed(0); random.seed(0); torch.set_num_threads(1)
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(logdir, exist_ok=True)
rng = np.random.default_rng(0)
X = rng.uniform(-1.5, 1.5, (3000, 6))
y = np.sin(2 * X[:, 0]) * X[:, 1] + X[:, 2] ** 2 - X[:, 3] * X[:, 4] + rng.normal(0, 0.1, 3000)
Xt = torch.tensor(X, dtype=torch.float32); yt = torch.tensor(y, dtype=torch.float32)
Xtr, Xva, ytr, yva = Xt[:2400], Xt[2400:], yt[:2400], yt[2400:]
model = nn.Sequential(nn.Linear(6, 128), nn.SiLU(), nn.Linear(128, 128), nn.SiLU(), nn.Linear(128, 1))
EP, BS = 40, 64; nb = 2400 // BS; total = EP * nb; warm = 2 * nb
opt = torch.optim.AdamW(model.parameters(), lr=5e-3, weight_decay=1e-4)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / (total - warm))))
f = open(os.path.join(logdir, "metrics.jsonl"), "w")
f.write(json.dumps({"run": "tabreg-silu-128", "config": {"epochs": EP, "batch_size": BS, "lr": 5e-3, "schedule": "warmup_cosine", "warmup_steps": warm}}) + "\n")
f.write("/usr/local/lib/python3.10/site-packages/pandas/core/frame.py:706: FutureWarning: Passing a BlockManager to DataFrame is deprecated\n")
step = 0
for ep in range(EP):
    model.train(); perm = torch.randperm(2400); tot = 0
    for i in range(nb):
        idx = perm[i * BS:(i + 1) * BS]
        loss = nn.functional.mse_loss(model(Xtr[idx]).squeeze(1), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); sched.step(); step += 1; tot += loss.item()
    model.eval()
    with torch.no_grad():
        vm = nn.functional.mse_loss(model(Xva).squeeze(1), yva).item()
    val = None if ep == 11 else {"mse": round(vm, 5), "rmse": round(math.sqrt(vm), 5)}
    f.write(json.dumps({"step": step, "epoch": ep, "metrics": {"train": {"mse": round(tot / nb, 5), "lr": opt.param_groups[0]["lr"]}, "val": val}}) + "\n")
    if ep % 8 == 7:
        f.write(f"Saving model to checkpoints/tabreg_ep{ep}.pt\n")
f.close(); tl = tot / nb
print(f"train_mse {tl:.4f} val_mse {vm:.4f} var {yva.var().item():.3f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm, 4), "train_mse": round(tl, 4), "target_var": round(yva.var().item(), 3), "noise_var": 0.01}))
