# Data-driven model of the Lorenz-63 system (sigma=10, rho=28, beta=8/3): an MLP learns the
# one-step flow map increment (x_{n+1} - x_n)/dt from RK4-simulated trajectories (dt = 0.01),
# states standardised. AdamW with a cosine schedule that decays the lr all the way to ~0, so the
# last epochs make tiny updates and gradient norms are tiny: the model has converged, not stalled.
# Validation: a separate trajectory on the same attractor (one-step error + 25-step rollout).
# expect:
# allow:
# forbid: *
# evidence: val one-step mse 1.3e-4 in standardised units (target var 1.0), 25-step rollout rel error 0.0085; train 1.7e-4 ~ val; lr decays 3e-3 -> 1e-7 and the batch grad norm is ~1e-2 at the end (converged)
# native-log: lorenz_train.csv
# log-expect:
# log-allow:
import os, csv, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn

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
net = nn.Sequential(nn.Linear(3, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 3))
EPOCHS, BS = 30, 128
steps = EPOCHS * ((len(Xtr) + BS - 1) // BS)
opt = torch.optim.AdamW(net.parameters(), lr=3e-3, weight_decay=1e-5)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps, eta_min=1e-7)
f = open(os.path.join(log_dir, "lorenz_train.csv"), "w", newline="")
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
    if epoch % 5 == 0 or epoch == EPOCHS - 1:
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
