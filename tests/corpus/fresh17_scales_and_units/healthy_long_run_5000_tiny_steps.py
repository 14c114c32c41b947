# expect:
# allow:
# forbid: *
# evidence: healthy; 5000 steps of batch 8 with cosine lr 0.02 -> 0: val_mse 0.032 (step 1000) -> 0.0167 at the end vs target var 0.821 and noise var 0.01 (R^2 0.98); the last ~2000 steps are tiny updates on a converged model; train_mse 0.011
# native-log: long_run.csv
# log-expect:
# log-allow:
"""5000 SGD steps (batch 8, lr 0.02, cosine decay to 0) on a small regression MLP. The loss converges
early and the last thousands of steps are tiny updates on a converged model - healthy."""
import os, sys, json, random, tempfile, csv, math
import numpy as np, torch, torch.nn as nn
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
g = torch.Generator().manual_seed(0)
def sample(n):
    X = torch.randn(n, 4, generator=g)
    return X, (torch.sin(X[:, :1]) + 0.5 * X[:, 1:2] * X[:, 2:3] - 0.3 * X[:, 3:4] + 0.1 * torch.randn(n, 1, generator=g))
Xtr, ytr = sample(1000); Xva, yva = sample(500)
model = nn.Sequential(nn.Linear(4, 32), nn.Tanh(), nn.Linear(32, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
STEPS = 5000
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, STEPS)
f = open(os.path.join(LOG_DIR, "long_run.csv"), "w", newline=""); w = csv.writer(f); w.writerow(["step", "epoch", "train_loss", "val_loss", "lr"])
run = 0.0
for step in range(1, STEPS + 1):
    idx = torch.randint(0, 1000, (8,), generator=g)
    loss = ((model(Xtr[idx]) - ytr[idx]) ** 2).mean()
    opt.zero_grad(); loss.backward(); opt.step(); sched.step(); run += loss.item()
    if step % 200 == 0:
        with torch.no_grad(): vl = ((model(Xva) - yva) ** 2).mean().item()
        w.writerow([step, step * 8 // 1000, round(run / 200, 6), round(vl, 6), sched.get_last_lr()[0]])
        if step % 1000 == 0: print(f"step {step} train_mse {run / 200:.5f} val_mse {vl:.5f} lr {sched.get_last_lr()[0]:.5f}")
        run = 0.0
f.close()
with torch.no_grad(): trl = ((model(Xtr) - ytr) ** 2).mean().item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 5), "train_mse": round(trl, 5), "target_var": round(yva.var().item(), 4), "noise_var": 0.01}))
