# Data-driven model of the Lorenz-63 system: an MLP learns the one-step increment
# (x_{n+1} - x_n)/dt from RK4 trajectories (dt = 0.01), standardised states and targets.
# Planted cause: plain SGD with lr=3.0 (constant) -- the loss jumps up to ~100x the target variance
# and bounces around instead of settling. --control uses lr=0.05 (the only change).
# Validation: a separate trajectory on the same attractor.
# expect: learning_rate_too_high
# allow: exploding_gradients, non_convergence, non_finite, dead_units
# forbid: *
# evidence: planted (lr 3.0): epoch train_mse 92 -> 106 -> 81 -> 105 -> 47 -> 36, bouncing at 36-106x the target variance (1.0) for all 20 epochs, batch grad norm ~10, val_mse 36.7, 25-step rollout rel error 5.3; control (lr 0.05): val_mse 7.9e-3, rollout rel error 0.064, grad norm 0.1
# control: --control
# native-log: lorenz_sgd.csv
# log-expect: learning_rate_too_high
# log-allow: non_convergence, exploding_gradients, non_finite
import os, csv, json, random, tempfile, argparse
import numpy as np
import torch
import torch.nn as nn

ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
DT = 0.01

def lorenz(s):
    x, y, z = s[..., 0], s[..., 1], s[..., 2]
    return torch.stack([10 * (y - x), x * (28 - z) - y, x * y - 8 / 3 * z], -1)

def trajectory(s0, n):
    s, out = s0, [s0]
    for _ in range(n):
        k1 = lorenz(s); k2 = lorenz(s + DT / 2 * k1); k3 = lorenz(s + DT / 2 * k2); k4 = lorenz(s + DT * k3)
        s = s + DT / 6 * (k1 + 2 * k2 + 2 * k3 + k4); out.append(s)
    return torch.stack(out)

with torch.no_grad():
    tr = trajectory(torch.tensor([[1.0, 1.0, 1.0], [-5.0, 3.0, 20.0], [8.0, -2.0, 30.0], [0.5, -4.0, 12.0]], dtype=torch.float64), 1700)[200:]
    va = trajectory(torch.tensor([[-3.0, -6.0, 18.0]], dtype=torch.float64), 1200)[200:]
def pairs(traj):
    X = traj[:-1].reshape(-1, 3); Y = ((traj[1:] - traj[:-1]) / DT).reshape(-1, 3)
    return X.float(), Y.float()
Xtr, Ytr = pairs(tr); Xva, Yva = pairs(va)
xm, xs = Xtr.mean(0), Xtr.std(0); ym, ys = Ytr.mean(0), Ytr.std(0)
nx = lambda X: (X - xm) / xs
net = nn.Sequential(nn.Linear(3, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3))
EPOCHS, BS = 20, 128
steps = EPOCHS * ((len(Xtr) + BS - 1) // BS)
LR = 0.05 if args.control else 3.0
opt = torch.optim.SGD(net.parameters(), lr=LR)
sched = torch.optim.lr_scheduler.ConstantLR(opt, factor=1.0, total_iters=0)
f = open(os.path.join(log_dir, "lorenz_sgd.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["epoch", "train_loss", "val_loss", "lr", "grad_norm"])
for epoch in range(EPOCHS):
    perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(perm), BS):
        idx = perm[i:i + BS]
        loss = ((net(nx(Xtr[idx])) - (Ytr[idx] - ym) / ys) ** 2).mean()
        opt.zero_grad(); loss.backward()
        gn = torch.sqrt(sum((p.grad ** 2).sum() for p in net.parameters())).item()
        opt.step(); sched.step(); tot += loss.item() * len(idx)
    with torch.no_grad():
        vl = ((net(nx(Xva)) - (Yva - ym) / ys) ** 2).mean().item()
    w.writerow([epoch, tot / len(perm), vl, sched.get_last_lr()[0], gn])
    if True:
        print(f"epoch {epoch:2d} train_mse {tot/len(perm):.2e} val_mse {vl:.2e} lr {sched.get_last_lr()[0]:.1e} grad_norm {gn:.1e}")
f.close()
with torch.no_grad():          # 25-step rollouts from 40 validation states
    s = va[::25][:40, 0].float(); true = [va[::25][:40, 0].float()]
    idx0 = torch.arange(0, 40 * 25, 25)
    for k in range(1, 26):
        s = s + DT * (net(nx(s)) * ys + ym)
    roll_err = (torch.linalg.norm(s - va[idx0 + 25, 0].float()) / torch.linalg.norm(va[idx0 + 25, 0].float())).item()
print(f"val one-step mse (std units) {vl:.2e}; 25-step (0.25 s) rollout rel error {roll_err:.4f}; final grad norm {gn:.1e}")
print("CORPUS_METRIC " + json.dumps({"val_mse": vl, "target_var": 1.0, "train_loss": tot / len(perm), "rollout25_rel_err": roll_err, "final_grad_norm": gn}))
