# expect: saturated_activations
# allow: non_convergence, high_bias, poor_initialization, vanishing_gradients
# forbid: *
# evidence: probe: fraction of tanh outputs with |a|>0.99 (layer1/layer2) 0.433/0.976 at the end (planted) vs 0.000/0.000 (control); val_mse 0.354 planted vs 0.00066 control (action variance 0.066); closed-loop return -185.0 planted vs -6.30 control (expert -6.06, random -74.2)
# control: --control
# native-log: bc_tanh_actor.jsonl
# log-expect:
# log-allow: non_convergence, high_bias
"""Behavioural cloning of a scripted PD controller for a 2-D point-mass reach task, with a tanh
actor (tanh hidden layers, tanh-squashed action). The actor was initialised with an
"exploration-friendly" N(0, 3^2) weight init: nearly every hidden tanh unit sits at +-1, the
gradients through them vanish and the cloned policy stays poor. --control uses PyTorch's default
init. The held-out metric is the closed-loop return of the cloned policy (expert and random
policy returns are printed for comparison)."""
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

actor = nn.Sequential(nn.Linear(4, 128), nn.Tanh(), nn.Linear(128, 128), nn.Tanh(), nn.Linear(128, 2), nn.Tanh())
if not CONTROL:
    for m in actor:
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0.0, 3.0); nn.init.normal_(m.bias, 0.0, 3.0)


def sat_frac(x):
    with torch.no_grad():
        h1 = actor[1](actor[0](x)); h2 = actor[3](actor[2](h1))
    return float((h1.abs() > 0.99).float().mean()), float((h2.abs() > 0.99).float().mean())


Xv, Yv = torch.as_tensor(S_va), torch.as_tensor(A_va)
print("init: fraction of tanh outputs with |a|>0.99 (layer1, layer2): %.3f %.3f" % sat_frac(Xv))
opt = torch.optim.Adam(actor.parameters(), lr=1e-3)
X, Y = torch.as_tensor(S_tr), torch.as_tensor(A_tr)
f = open(os.path.join(LOG_DIR, "bc_tanh_actor.jsonl"), "w")
for ep in range(25):
    perm = torch.randperm(len(X)); tl = []
    for i in range(0, len(X), 64):
        b = perm[i:i + 64]
        loss = F.mse_loss(actor(X[b]), Y[b])
        opt.zero_grad(); loss.backward(); opt.step(); tl.append(loss.item())
    with torch.no_grad():
        vl = F.mse_loss(actor(Xv), Yv).item()
    f.write(json.dumps({"epoch": ep, "train_loss": float(np.mean(tl)), "val_loss": vl}) + "\n")
    if ep % 5 == 0 or ep == 24:
        print(f"epoch {ep:2d} train_mse {np.mean(tl):.4f} val_mse {vl:.4f}")
f.close()
s1, s2 = sat_frac(Xv)
print(f"end: fraction of tanh outputs with |a|>0.99 (layer1, layer2): {s1:.3f} {s2:.3f}")
pol = lambda s: actor(torch.as_tensor(s, dtype=torch.float32)).detach().numpy()
ev = rollout(pol, 200, np.random.default_rng(7))
ex = rollout(expert, 200, np.random.default_rng(7))
rr = np.random.default_rng(8)
ra = rollout(lambda s: rr.uniform(-1, 1, (len(s), 2)), 200, np.random.default_rng(7))
print("CORPUS_METRIC " + json.dumps({"eval_return": round(ev, 3), "expert_return": round(ex, 3), "random_return": round(ra, 3),
                                     "val_mse": round(vl, 5), "action_variance": round(float(A_va.var()), 5),
                                     "sat_frac_l1": round(s1, 3), "sat_frac_l2": round(s2, 3)}))
