# Hybrid physics/ML model of a 1-D reaction-diffusion equation u_t = a u_xx + R(u) on a periodic
# grid (32 cells): diffusion is known, the reaction term R is a small MLP applied pointwise.
# The solver is an explicit-Euler method of lines, unrolled over 2.4 s, and trained end-to-end
# by backprop through all steps against snapshots of a fine reference simulation.
# Planted cause: the model's time step dt=0.06 s violates the explicit-Euler stability limit
# dx^2/(2a)=0.049 s, so the highest grid mode is amplified x1.46 every step: the unrolled
# integrator blows up and so do the gradients. --control uses dt=0.04 s (same horizon, 60 steps).
# expect: exploding_gradients
# allow: non_finite, learning_rate_too_high, non_convergence
# forbid: *
# evidence: planted (dt=0.06 > limit 0.049) grad norm 6.2e4 at iter 10 and still 4.4e2 at iter 150, train_mse 2.0e4 -> 1.0e2, val_mse 2.87 (target var 0.039); control (dt=0.04) grad norm 1.7 -> 1.3e-2, train_mse 2.9e-3, val_mse 2.9e-3 (R2 0.93)
# control: --control
# native-log: train_log.csv
# log-expect:
# log-allow: non_finite, learning_rate_too_high, non_convergence, exploding_gradients
import os, csv, json, math, random, argparse, tempfile
import numpy as np
import torch
import torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
args = ap.parse_args()
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)

NX, ALPHA, T_END = 32, 0.01, 2.4
dx = 1.0 / NX
x = torch.arange(NX) * dx
print(f"explicit Euler limit dx^2/(2a) = {dx*dx/(2*ALPHA):.4f} s")

def lap(u):
    return (torch.roll(u, 1, -1) - 2 * u + torch.roll(u, -1, -1)) / dx ** 2

def initial(n):
    a = torch.rand(n, 3, 1) * 0.3; k = torch.randint(1, 4, (n, 3, 1)).float(); ph = torch.rand(n, 3, 1) * 2 * math.pi
    return 0.4 + (a * torch.sin(2 * math.pi * k * x + ph)).sum(1) / 2

def reference(u0):
    dt_ref, snaps = 0.005, [u0]
    u = u0
    for i in range(1, int(round(T_END / dt_ref)) + 1):
        u = u + dt_ref * (ALPHA * lap(u) + 2.0 * u * (1 - u))
        if i % 48 == 0:            # snapshot every 0.24 s
            snaps.append(u)
    return torch.stack(snaps, 1)   # (n, 11, NX)

with torch.no_grad():
    U_tr = reference(initial(32)); U_va = reference(initial(8))
    U_tr = U_tr + 1e-3 * torch.randn_like(U_tr)   # measurement noise

reaction = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 1))
dt = 0.04 if args.control else 0.06
n_steps = int(round(T_END / dt)); every = n_steps // 10

def rollout(u0):
    u, snaps = u0, [u0]
    for i in range(1, n_steps + 1):
        r = reaction(u.unsqueeze(-1)).squeeze(-1)
        u = u + dt * (ALPHA * lap(u) + r)
        if i % every == 0:
            snaps.append(u)
    return torch.stack(snaps, 1)

opt = torch.optim.Adam(reaction.parameters(), lr=1e-2)
f = open(os.path.join(log_dir, "train_log.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["iter", "train_loss", "val_loss", "grad_norm"])
for it in range(1, 151):
    pred = rollout(U_tr[:, 0])
    loss = ((pred - U_tr) ** 2).mean()
    opt.zero_grad(); loss.backward()
    gn = torch.sqrt(sum((p.grad ** 2).sum() for p in reaction.parameters())).item()
    opt.step()
    if it % 10 == 0:
        with torch.no_grad():
            vl = ((rollout(U_va[:, 0]) - U_va) ** 2).mean().item()
        w.writerow([it, loss.item(), vl, gn])
        if it % 30 == 0 or it == 10:
            print(f"iter {it} train_mse {loss.item():.3e} val_mse {vl:.3e} grad_norm {gn:.3e}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_mse": vl, "target_var": U_va.var().item(), "train_loss": loss.item(), "last_grad_norm": gn}))
