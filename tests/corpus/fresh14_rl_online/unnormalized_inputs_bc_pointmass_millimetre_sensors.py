# expect: unnormalized_inputs
# allow: non_convergence, high_bias, dead_units, high_variance, overfitting, learning_rate_too_high
# forbid: *
# evidence: planted inputs have std 210-245 per feature (mm, mm/s): epoch-0 train_mse 81.5, final train_mse 0.185 / val_mse 0.526, closed-loop return -71.9 (random -74.2); control (metres) val_mse 0.00019, return -6.15 (expert -6.06)
# control: --control
"""Behavioural cloning of a scripted PD controller for a 2-D point-mass reach task. The robot's
state estimator reports positions in millimetres and velocities in mm/s (values ~1e2-1e3), and
they go into the ReLU policy network as they are. --control converts them back to metres (m/s),
i.e. features of order 1. The held-out metric is the closed-loop return of the cloned policy."""
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
SEED = 0
random.seed(SEED); np.random.seed(SEED); torch.manual_seed(SEED)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
CONTROL = "--control" in sys.argv

# 2-D point mass: state = (px, py, vx, vy) in metres and m/s, goal at the origin, action = force in [-1, 1]^2
DT, MAX_T = 0.1, 50


def expert(s):  # scripted PD controller, saturating at the actuator limits
    return np.clip(-2.0 * s[:, :2] - 1.5 * s[:, 2:], -1.0, 1.0)


def step(s, a):
    v = s[:, 2:] * 0.98 + DT * a * 2.0
    p = s[:, :2] + DT * v
    return np.concatenate([p, v], 1)


def rollout(policy_fn, n, rng):
    s = np.concatenate([rng.uniform(-1, 1, (n, 2)), rng.uniform(-0.5, 0.5, (n, 2))], 1)
    R = np.zeros(n)
    for _ in range(MAX_T):
        s = step(s, np.clip(policy_fn(s), -1, 1))
        R -= np.linalg.norm(s[:, :2], axis=1)
    return float(R.mean())


def expert_data(n, rng):
    # states visited by the expert from random starts (+ small perturbations so the data covers recoveries)
    out = []
    s = np.concatenate([rng.uniform(-1, 1, (n // MAX_T, 2)), rng.uniform(-0.5, 0.5, (n // MAX_T, 2))], 1)
    for _ in range(MAX_T):
        out.append(s.copy())
        s = step(s, expert(s) + rng.normal(0, 0.3, s[:, :2].shape))
    S = np.concatenate(out).astype(np.float32)
    return S, expert(S).astype(np.float32)


rng = np.random.default_rng(SEED)
S_tr, A_tr = expert_data(4000, rng)
S_va, A_va = expert_data(1000, np.random.default_rng(1))

SCALE = 1.0 if CONTROL else 1000.0  # sensor units: mm and mm/s
print("policy input mean/std per feature:", np.round((S_tr * SCALE).mean(0), 1), np.round((S_tr * SCALE).std(0), 1))
actor = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
opt = torch.optim.Adam(actor.parameters(), lr=1e-3)
X, Y = torch.as_tensor(S_tr * SCALE), torch.as_tensor(A_tr)
Xv, Yv = torch.as_tensor(S_va * SCALE), torch.as_tensor(A_va)
for ep in range(25):
    perm = torch.randperm(len(X)); tl = []
    for i in range(0, len(X), 64):
        b = perm[i:i + 64]
        loss = F.mse_loss(actor(X[b]), Y[b])
        opt.zero_grad(); loss.backward(); opt.step(); tl.append(loss.item())
    with torch.no_grad():
        vl = F.mse_loss(actor(Xv), Yv).item()
    if ep % 5 == 0 or ep == 24:
        print(f"epoch {ep:2d} train_mse {np.mean(tl):.4f} val_mse {vl:.4f}")
pol = lambda s: actor(torch.as_tensor(s * SCALE, dtype=torch.float32)).detach().numpy()
ev = rollout(pol, 200, np.random.default_rng(7))
ex = rollout(expert, 200, np.random.default_rng(7))
rr = np.random.default_rng(8)
ra = rollout(lambda s: rr.uniform(-1, 1, (len(s), 2)), 200, np.random.default_rng(7))
print("CORPUS_METRIC " + json.dumps({"eval_return": round(ev, 3), "expert_return": round(ex, 3), "random_return": round(ra, 3),
                                     "val_mse": round(vl, 5), "action_variance": round(float(A_va.var()), 5)}))
