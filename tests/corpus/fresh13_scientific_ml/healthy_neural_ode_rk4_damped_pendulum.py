# Neural ODE written the way a physicist would: the vector field of a damped pendulum
# (theta'' = -g/l sin(theta) - c theta') is learned by an MLP, integrated with a hand-written
# fixed-step RK4, and trained on short trajectory segments from many initial conditions (multiple
# shooting style, 8 RK4 steps per segment). Validation = full 4 s rollouts from held-out
# initial conditions; metric = relative L2 error of the rollout.
# expect:
# allow:
# forbid: *
# evidence: val rollout rel L2 error 0.14 on 16 held-out initial conditions, val_mse 0.041 vs target var 2.03 (R2 0.98; zero-vector-field baseline rel L2 1.0); segment loss 9.9e-3 at it 100 -> 1.2e-3..2.6e-3 (noisy mini-batches)
import json, math, random
import numpy as np
import torch
import torch.nn as nn

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
G_L, C = 9.81 / 1.0, 0.3
DT, N_STEPS = 0.05, 80

def true_f(y):
    return torch.stack([y[..., 1], -G_L * torch.sin(y[..., 0]) - C * y[..., 1]], -1)

def rk4(f, y, dt, n):
    out = [y]
    for _ in range(n):
        k1 = f(y); k2 = f(y + 0.5 * dt * k1); k3 = f(y + 0.5 * dt * k2); k4 = f(y + dt * k3)
        y = y + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        out.append(y)
    return torch.stack(out, 0)   # (n+1, batch, 2)

def sample_y0(n):
    return torch.stack([torch.empty(n).uniform_(-2.0, 2.0), torch.empty(n).uniform_(-3, 3)], -1)

with torch.no_grad():
    Ytr = rk4(true_f, sample_y0(64), DT, N_STEPS)   # training trajectories
    Yva = rk4(true_f, sample_y0(16), DT, N_STEPS)   # held-out initial conditions

class VectorField(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 2))
    def forward(self, y):
        return self.net(y)

f_theta = VectorField()
opt = torch.optim.Adam(f_theta.parameters(), lr=1e-2)
sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.995)
SEG = 8
for it in range(1, 501):
    starts = torch.randint(0, N_STEPS - SEG, (64,))
    traj = torch.randint(0, Ytr.shape[1], (64,))
    y0 = Ytr[starts, traj]
    target = torch.stack([Ytr[starts + k, traj] for k in range(SEG + 1)], 0)
    pred = rk4(f_theta, y0, DT, SEG)
    loss = ((pred - target) ** 2).mean()
    opt.zero_grad(); loss.backward(); opt.step(); sched.step()
    if it % 100 == 0:
        with torch.no_grad():
            roll = rk4(f_theta, Yva[0], DT, N_STEPS)
            rel = (torch.linalg.norm(roll - Yva) / torch.linalg.norm(Yva)).item()
        print(f"it {it} segment_loss {loss.item():.3e} val_rollout_relL2 {rel:.4f}")
with torch.no_grad():
    roll = rk4(f_theta, Yva[0], DT, N_STEPS)
    val_mse = ((roll - Yva) ** 2).mean().item()
print("CORPUS_METRIC " + json.dumps({"val_rel_l2": rel, "val_mse": val_mse, "target_var": Yva.var().item(), "train_loss": loss.item()}))
