"""Logistic regression from first principles on breast_cancer, gradient AND Hessian
written by hand (Newton / IRLS, with a small L2 term), no autograd. Converges in ~6 iterations,
then the loss stays perfectly flat for the remaining iterations: not a plateau problem."""
# expect:
# allow:
# forbid: *
# evidence: Newton/IRLS reaches train loss 0.0675 at iter 6, then flat to 6 decimals (grad_norm ~1e-17) for 33 more iters; val_acc 0.965, val_loss 0.096 (chance 0.627)
# native-log: newton.log
# log-expect:
# log-allow:
import os, sys, json, random, tempfile
import numpy as np, torch
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_breast_cancer(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=1, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0)
def prep(A):
    A = torch.tensor((A - mu) / sd, dtype=torch.float64)
    return torch.cat([A, torch.ones(len(A), 1, dtype=torch.float64)], 1)
Xtr, Xva = prep(Xtr), prep(Xva)
ytr = torch.tensor(ytr, dtype=torch.float64); yva = torch.tensor(yva, dtype=torch.float64)
lam = 1.0
w = torch.zeros(Xtr.shape[1], dtype=torch.float64)

def nll(A, t, w):
    z = A @ w
    return (torch.nn.functional.softplus(z) - t * z).mean()

log = open(os.path.join(LOG_DIR, "newton.log"), "w")
n = len(Xtr)
for it in range(40):
    p = torch.sigmoid(Xtr @ w)
    g = Xtr.T @ (p - ytr) / n + lam * w / n
    H = (Xtr.T * (p * (1 - p))) @ Xtr / n + lam * torch.eye(len(w), dtype=torch.float64) / n
    w = w - torch.linalg.solve(H, g)
    tl = nll(Xtr, ytr, w).item() + 0.5 * lam * (w @ w).item() / n
    vl = nll(Xva, yva, w).item()
    va = (((Xva @ w) > 0).double() == yva).double().mean().item()
    line = f"iter {it:3d} | loss {tl:.6f} | val_loss {vl:.6f} | val_acc {va:.4f} | grad_norm {g.norm().item():.3e}"
    log.write(line + "\n")
    if it < 8 or it % 10 == 0:
        print(line)
log.close()
ta = (((Xtr @ w) > 0).double() == ytr).double().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": tl, "train_acc": ta, "chance_acc": 0.627}))
