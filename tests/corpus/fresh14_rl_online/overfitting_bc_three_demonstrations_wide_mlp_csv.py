# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (3 demos): held-out val_mse falls to 0.119 at epoch 55 then climbs to 0.168 while train_mse falls to 0.062 (below the 0.09 label-jitter variance); control (40 demos, same model and 1800 updates): val_mse 0.097 ~ train_mse 0.093 ~ jitter floor 0.09. Closed-loop returns are close (-8.66 planted vs -8.20 control, expert -6.06), so the evidence is the held-out MSE
# control: --control
# native-log: bc_few_demos.csv
# log-expect: overfitting
# log-allow: high_variance
"""Behavioural cloning of a (noisy) human-like tele-operator for a 2-D point-mass reach task from
only 3 demonstrations (150 state-action pairs), with a wide 256-128 MLP trained for 1800 updates (~360 epochs) and
no regularisation. The demonstrator's actions carry +-0.3 jitter; the actor memorises it: train
MSE falls far below the jitter level while the held-out MSE (fresh demonstrations) climbs.
--control records 40 demonstrations (2000 pairs) with the same model and number of updates."""
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



N_DEMOS = 40 if CONTROL else 3


def demos(n_demos, r):
    S, A = expert_data(n_demos * MAX_T, r)
    return S, (A + r.normal(0, 0.3, A.shape)).astype(np.float32)  # operator jitter on the labels


rng = np.random.default_rng(SEED)
S_tr, A_tr = demos(N_DEMOS, rng)
S_va, A_va = demos(20, np.random.default_rng(1))
actor = nn.Sequential(nn.Linear(4, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 2))
opt = torch.optim.Adam(actor.parameters(), lr=1e-3)
X, Y = torch.as_tensor(S_tr), torch.as_tensor(A_tr)
Xv, Yv = torch.as_tensor(S_va), torch.as_tensor(A_va)
UPDATES = 1800
bs = 32
f = open(os.path.join(LOG_DIR, "bc_few_demos.csv"), "w")
f.write("epoch,train_loss,val_loss\n")
n_upd, ep, best = 0, 0, (1e9, -1)
while n_upd < UPDATES:
    perm = torch.randperm(len(X)); tl = []
    for i in range(0, len(X), bs):
        b = perm[i:i + bs]
        loss = F.mse_loss(actor(X[b]), Y[b])
        opt.zero_grad(); loss.backward(); opt.step(); tl.append(loss.item()); n_upd += 1
        if n_upd >= UPDATES:
            break
    with torch.no_grad():
        vl = F.mse_loss(actor(Xv), Yv).item()
    best = min(best, (vl, ep))
    if len(X) < 500 or ep % 2 == 0:
        f.write(f"{ep},{np.mean(tl):.6f},{vl:.6f}\n")
    if ep % (50 if len(X) < 500 else 4) == 0:
        print(f"epoch {ep:3d} train_mse {np.mean(tl):.5f} val_mse {vl:.5f}")
    ep += 1
f.close()
with torch.no_grad():
    trl = F.mse_loss(actor(X), Y).item()
pol = lambda s: actor(torch.as_tensor(s, dtype=torch.float32)).detach().numpy()
ev = rollout(pol, 200, np.random.default_rng(7))
ex = rollout(expert, 200, np.random.default_rng(7))
print(f"epochs {ep}, best val_mse {best[0]:.5f} at epoch {best[1]}; label jitter variance 0.09")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 5), "train_mse": round(trl, 5), "best_val_mse": round(best[0], 5),
                                     "label_noise_var": 0.09, "action_variance": round(float(A_va.var()), 4),
                                     "eval_return": round(ev, 3), "expert_return": round(ex, 3)}))
