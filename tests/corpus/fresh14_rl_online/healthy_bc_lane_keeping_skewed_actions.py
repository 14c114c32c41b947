# expect:
# allow:
# forbid: *
# evidence: healthy BC with ~8:1:1 action skew: val_acc 0.989 (majority 0.799), balanced acc 0.977, recall left 0.99 / right 0.95, val_loss 0.028
"""Behavioural cloning of a scripted lane-keeping expert (0 = keep, 1 = steer left, 2 = steer
right). Most logged states need no correction, so the action distribution is naturally skewed
(~8:1:1), but the corrections are a clean function of lane offset and heading and the policy
learns all three actions well (per-action recall printed). Healthy look-alike for a skewed label
distribution."""
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

# Highway driving logs: state = (gap to lead car [m], closing speed [m/s], own speed [m/s], lane offset [m],
# lead-car brake light, road wetness), all standardised by the logging pipeline. Scripted expert below.
D = 6


def sample_states(n, rng):
    return rng.normal(0, 1, size=(n, D)).astype(np.float32)


def collect(n, rng):
    S = sample_states(n, rng)
    return S, expert(S, rng)


def evaluate(pred, A):
    K = int(A.max()) + 1
    rec = [float((pred[A == k] == k).mean()) for k in range(K)]
    return float((pred == A).mean()), float(np.mean(rec)), rec


def expert(S, rng):
    u = S[:, 3] + 0.6 * S[:, 2] * 0.3 + 0.4 * S[:, 5] * 0.2 + 0.05 * S[:, 0] * S[:, 1]
    return np.where(u > 1.3, 1, np.where(u < -1.3, 2, 0)).astype(np.int64)


rng = np.random.default_rng(SEED)
S_tr, A_tr = collect(6000, rng)
S_va, A_va = collect(3000, np.random.default_rng(1))
cnt = np.bincount(A_tr, minlength=3)
print(f"expert action counts (keep, left, right): {cnt.tolist()}")
policy = nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3))
opt = torch.optim.Adam(policy.parameters(), lr=2e-3)
X, Y = torch.as_tensor(S_tr), torch.as_tensor(A_tr)
Xv = torch.as_tensor(S_va)
for ep in range(20):
    perm = torch.randperm(len(X)); tl = []
    for i in range(0, len(X), 64):
        b = perm[i:i + 64]
        loss = F.cross_entropy(policy(X[b]), Y[b])
        opt.zero_grad(); loss.backward(); opt.step(); tl.append(loss.item())
    with torch.no_grad():
        vloss = F.cross_entropy(policy(Xv), torch.as_tensor(A_va)).item()
        pred = policy(Xv).argmax(1).numpy()
    acc, bal, rec = evaluate(pred, A_va)
    if ep % 4 == 0 or ep == 19:
        print(f"epoch {ep:2d} train_loss {np.mean(tl):.4f} val_loss {vloss:.4f} val_acc {acc:.3f} balanced_acc {bal:.3f} "
              f"recall keep/left/right {rec[0]:.2f}/{rec[1]:.2f}/{rec[2]:.2f}")
majority = float((A_va == 0).mean())
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(acc, 4), "val_balanced_acc": round(bal, 4),
                                     "recall_left": round(rec[1], 4), "recall_right": round(rec[2], 4),
                                     "majority_acc": round(majority, 4), "chance_balanced_acc": 0.3333,
                                     "train_loss": round(float(np.mean(tl)), 4)}))
