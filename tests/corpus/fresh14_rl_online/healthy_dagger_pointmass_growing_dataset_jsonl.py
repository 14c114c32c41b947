# expect:
# allow:
# forbid: *
# evidence: healthy DAgger: cloned actor closed-loop return -6.07 vs scripted expert -6.06 and random policy -74.2; final val_mse 2.7e-05 (action variance 0.066); learner return improves -6.49 (round 0) -> -5.82 (round 5)
# native-log: dagger.jsonl
# log-expect:
# log-allow:
"""DAgger for a 2-D point-mass reach task: round 0 is plain behavioural cloning on expert
trajectories; every later round rolls out the *learner*, asks the scripted expert to label the
states the learner visited (started wider than the expert data), aggregates them and keeps
training. The logged mini-batch loss steps up at some round boundaries (new, harder states; e.g.
0.0022 -> 0.0061 after round 0) before falling again; loss values are tiny (~1e-4) once the
actor fits the expert. Healthy look-alike."""
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
S, A = expert_data(1000, rng)
S_va, A_va = expert_data(1000, np.random.default_rng(1))
actor = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
opt = torch.optim.Adam(actor.parameters(), lr=1e-3)
pol = lambda s: actor(torch.as_tensor(s, dtype=torch.float32)).detach().numpy()
f = open(os.path.join(LOG_DIR, "dagger.jsonl"), "w")
n_upd = 0
for rnd in range(6):
    X, Y = torch.as_tensor(S), torch.as_tensor(A)
    for ep in range(8):
        perm = torch.randperm(len(X))
        for i in range(0, len(X), 64):
            b = perm[i:i + 64]
            loss = F.mse_loss(actor(X[b]), Y[b])
            opt.zero_grad(); loss.backward(); opt.step(); n_upd += 1
            if n_upd % 10 == 0:
                f.write(json.dumps({"step": n_upd, "round": rnd, "train_loss": loss.item()}) + "\n")
    with torch.no_grad():
        tl = F.mse_loss(actor(X), Y).item(); vl = F.mse_loss(actor(torch.as_tensor(S_va)), torch.as_tensor(A_va)).item()
    ret = rollout(pol, 100, np.random.default_rng(100 + rnd))
    f.write(json.dumps({"step": n_upd, "round": rnd, "dataset_size": len(S), "train_loss_full": tl, "val_loss": vl,
                        "return": ret}) + "\n")
    print(f"round {rnd} dataset {len(S):5d} train_mse {tl:.5f} val_mse(expert states) {vl:.5f} learner return {ret:8.3f}")
    # learner rollouts (with start states wider than the expert data), labelled by the expert
    r2 = np.random.default_rng(200 + rnd)
    s = np.concatenate([r2.uniform(-1.5, 1.5, (40, 2)), r2.uniform(-1.0, 1.0, (40, 2))], 1)
    new = []
    for _ in range(MAX_T // 2):
        new.append(s.copy()); s = step(s, np.clip(pol(s) + r2.normal(0, 0.2, (40, 2)), -1, 1))
    new = np.concatenate(new).astype(np.float32)
    S = np.concatenate([S, new]); A = np.concatenate([A, expert(new).astype(np.float32)])
f.close()
ev = rollout(pol, 200, np.random.default_rng(7))
ex = rollout(expert, 200, np.random.default_rng(7))
rr = np.random.default_rng(8)
ra = rollout(lambda s: rr.uniform(-1, 1, (len(s), 2)), 200, np.random.default_rng(7))
print("CORPUS_METRIC " + json.dumps({"eval_return": round(ev, 3), "expert_return": round(ex, 3), "random_return": round(ra, 3),
                                     "val_mse": round(vl, 6), "action_variance": round(float(A_va.var()), 5)}))
