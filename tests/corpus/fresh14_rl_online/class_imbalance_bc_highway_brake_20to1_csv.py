# expect: class_imbalance
# allow: high_bias, non_convergence
# forbid: *
# evidence: expert actions 5723 cruise : 277 brake (20.7:1); planted (plain CE) cruises in 99.3% of held-out states, brake recall 0.081, balanced acc 0.539, val_acc 0.959, return -0.380 (always-cruise -0.41); control (inverse-frequency weights) brake recall 0.764, balanced acc 0.803, return -0.249
# control: --control
# native-log: bc_brake.csv
# log-expect:
# log-allow: class_imbalance, high_bias, non_convergence
"""Behavioural cloning of a scripted highway driver (actions: 0 = cruise, 1 = brake). The expert
brakes in ~1 of 21 logged states, and the cloned policy is trained with a plain cross-entropy:
it learns to (almost) always cruise, which scores a high plain accuracy but misses the brakes,
and each missed brake is costly. --control weights the cross-entropy by inverse action
frequency. Held-out metrics: balanced accuracy, brake recall and the per-decision return
(-10 for a missed brake, -1 for an unnecessary one)."""
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
    risk = -S[:, 0] + S[:, 1] + 0.5 * S[:, 4] + 0.5 * S[:, 5] + rng.normal(0, 1.5, len(S))
    return (risk > 3.7).astype(np.int64)


def ret(pred, A):
    return float(np.where((A == 1) & (pred == 0), -10.0, np.where((A == 0) & (pred == 1), -1.0, 0.0)).mean())


rng = np.random.default_rng(SEED)
S_tr, A_tr = collect(6000, rng)
S_va, A_va = collect(3000, np.random.default_rng(1))
cnt = np.bincount(A_tr, minlength=2)
print(f"expert action counts (cruise, brake): {cnt.tolist()}  ratio {cnt[0] / cnt[1]:.1f}:1")
policy = nn.Sequential(nn.Linear(D, 32), nn.ReLU(), nn.Linear(32, 2))
weight = torch.as_tensor(len(A_tr) / (2.0 * cnt), dtype=torch.float32) if CONTROL else None
opt = torch.optim.SGD(policy.parameters(), lr=0.05, momentum=0.9)
X, Y = torch.as_tensor(S_tr), torch.as_tensor(A_tr)
Xv = torch.as_tensor(S_va)
f = open(os.path.join(LOG_DIR, "bc_brake.csv"), "w")
f.write("epoch,train_loss,val_acc,val_balanced_acc\n")
for ep in range(8):
    perm = torch.randperm(len(X)); tl = []
    for i in range(0, len(X), 128):
        b = perm[i:i + 128]
        loss = F.cross_entropy(policy(X[b]), Y[b], weight=weight)
        opt.zero_grad(); loss.backward(); opt.step(); tl.append(loss.item())
    with torch.no_grad():
        pred = policy(Xv).argmax(1).numpy()
    acc, bal, rec = evaluate(pred, A_va)
    f.write(f"{ep},{np.mean(tl):.5f},{acc:.4f},{bal:.4f}\n")
    print(f"epoch {ep} train_loss {np.mean(tl):.4f} val_acc {acc:.3f} balanced_acc {bal:.3f} brake_recall {rec[1]:.3f}")
f.close()
share = float((pred == 0).mean())
print(f"share of held-out states where the policy cruises: {share:.3f} (expert: {(A_va == 0).mean():.3f})")
always_cruise = ret(np.zeros_like(A_va), A_va)
rr = np.random.default_rng(3)
print("CORPUS_METRIC " + json.dumps({"eval_return": ret(pred, A_va), "random_return": ret(rr.integers(0, 2, len(A_va)), A_va),
                                     "always_cruise_return": always_cruise, "best_return": 0.0,
                                     "val_acc": round(acc, 4), "val_balanced_acc": round(bal, 4),
                                     "brake_recall": round(rec[1], 4), "cruise_share": round(share, 4)}))
