# expect: non_finite
# allow: learning_rate_too_high, exploding_gradients, non_convergence
# forbid: *
# evidence: control (every restart peak 5e-2) ends val_mse 0.029 (target variance 1.83); planted: train_mse 0.023 at the end of cycle 1, the cycle-2 restart sets lr=500 and train/val mse are NaN from that epoch (12) to the end, metric null
# control: --control
# native-log: restarts.csv
# log-expect: non_finite
# log-allow: learning_rate_too_high, exploding_gradients, non_convergence
"""Hand-written cosine schedule with warm restarts (SGDR) on a regression MLP. Each cycle
restarts the lr at a peak; the planted bug: the restart peak of cycle 3 is read from a
list where one entry was typed 5e2 instead of 5e-2. The loss goes to inf/NaN right after
that restart and never comes back. --control uses 5e-2 for every restart."""
import os, sys, json, random, tempfile, math
import numpy as np, torch, torch.nn as nn

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
PEAKS = [5e-2, 5e-2, 5e-2, 5e-2] if CONTROL else [5e-2, 5e-2, 5e2, 5e-2]
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
log = open(os.path.join(LOG_DIR, "restarts.csv"), "w")
log.write("epoch,cycle,lr,train_loss,val_loss\n")

rng = np.random.default_rng(0)
def make(n):
    X = rng.normal(size=(n, 10)).astype(np.float32)
    y = X[:, 0] * X[:, 1] + np.tanh(X[:, 2] + X[:, 3]) + 0.5 * X[:, 4] + rng.normal(0, 0.1, n)
    return torch.tensor(X), torch.tensor(y, dtype=torch.float32).unsqueeze(1)
Xtr, ytr = make(1500); Xva, yva = make(400)

model = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.SGD(model.parameters(), lr=PEAKS[0], momentum=0.9)
lossf = nn.MSELoss()
CYCLE = 6
ep = 0
for cycle, peak in enumerate(PEAKS):
    for k in range(CYCLE):
        lr = 1e-4 + 0.5 * (peak - 1e-4) * (1 + math.cos(math.pi * k / CYCLE))
        for g in opt.param_groups:
            g["lr"] = lr
        perm = torch.randperm(len(Xtr)); tot = 0.0
        for i in range(0, len(Xtr), 50):
            idx = perm[i:i + 50]
            loss = lossf(model(Xtr[idx]), ytr[idx])
            opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
        with torch.no_grad():
            vl = lossf(model(Xva), yva).item()
        tl = tot / len(Xtr)
        log.write(f"{ep},{cycle},{lr:.6g},{tl},{vl}\n")
        print(f"cycle {cycle} epoch {ep} lr {lr:.4g} train_mse {tl:.4f} val_mse {vl:.4f}")
        ep += 1
log.close()
fin = lambda v: round(v, 4) if math.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({"val_mse": fin(vl), "target_var": round(yva.var().item(), 4), "train_loss": fin(tl),
                                     "nan_or_inf": not math.isfinite(vl)}))
