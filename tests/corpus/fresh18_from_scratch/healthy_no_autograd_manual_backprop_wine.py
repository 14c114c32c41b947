"""Two-layer net with gradients derived and computed BY HAND (pure tensor algebra, no autograd, no
.backward()): tanh hidden layer, softmax output, cross-entropy; full-batch gradient descent on wine.
A finite-difference check of one weight is printed at the start."""
# expect:
# allow:
# forbid: *
# evidence: analytic grad matches finite differences (8.378747e-02 both); val_acc 0.968, val_loss 0.067 (chance 0.40); train loss 0.0043, val loss flat 0.067-0.068 from step 100; grad norm shrinks 1.7 -> 6e-3 as it converges (not vanishing)
# native-log: manual_backprop.csv
# log-expect:
# log-allow:
import os, sys, json, random, tempfile
import numpy as np, torch
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
torch.set_grad_enabled(False)

X, y = load_wine(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.35, random_state=0, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0)
Xtr = torch.tensor((Xtr - mu) / sd, dtype=torch.float64); Xva = torch.tensor((Xva - mu) / sd, dtype=torch.float64)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)
Y = torch.eye(3, dtype=torch.float64)[ytr]
n = len(Xtr)

W1 = torch.randn(13, 16, dtype=torch.float64) * (1 / 13) ** 0.5; b1 = torch.zeros(16, dtype=torch.float64)
W2 = torch.randn(16, 3, dtype=torch.float64) * (1 / 16) ** 0.5; b2 = torch.zeros(3, dtype=torch.float64)

def fwd(X, W1, b1, W2, b2):
    H = torch.tanh(X @ W1 + b1)
    Z = H @ W2 + b2
    P = torch.softmax(Z, 1)
    return H, P

def loss_of(P, Y):
    return -(Y * torch.log(P.clamp_min(1e-300))).sum(1).mean().item()

def grads(X, Y, W1, b1, W2, b2):
    H, P = fwd(X, W1, b1, W2, b2)
    dZ = (P - Y) / len(X)               # d loss / d logits
    dW2 = H.T @ dZ; db2 = dZ.sum(0)
    dH = dZ @ W2.T
    dA = dH * (1 - H ** 2)              # tanh'
    dW1 = X.T @ dA; db1 = dA.sum(0)
    return loss_of(P, Y), dW1, db1, dW2, db2

# finite-difference check of dW1[0,0]
_, dW1, *_ = grads(Xtr, Y, W1, b1, W2, b2)
eps = 1e-6; Wp = W1.clone(); Wp[0, 0] += eps; Wm = W1.clone(); Wm[0, 0] -= eps
fd = (loss_of(fwd(Xtr, Wp, b1, W2, b2)[1], Y) - loss_of(fwd(Xtr, Wm, b1, W2, b2)[1], Y)) / (2 * eps)
print(f"grad check dW1[0,0]: analytic {dW1[0,0].item():.6e} finite-diff {fd:.6e}")

lr = 0.5
log = open(os.path.join(LOG_DIR, "manual_backprop.csv"), "w"); log.write("step,loss,val_loss,val_acc,grad_norm\n")
for step in range(250):
    L, dW1, db1, dW2, db2 = grads(Xtr, Y, W1, b1, W2, b2)
    gnorm = torch.sqrt(sum((g ** 2).sum() for g in (dW1, db1, dW2, db2))).item()
    W1 -= lr * dW1; b1 -= lr * db1; W2 -= lr * dW2; b2 -= lr * db2
    _, Pv = fwd(Xva, W1, b1, W2, b2)
    vl = -torch.log(Pv[torch.arange(len(yva)), yva]).mean().item(); va = (Pv.argmax(1) == yva).double().mean().item()
    if step % 5 == 0 or step == 249:
        log.write(f"{step},{L:.6f},{vl:.6f},{va:.4f},{gnorm:.4e}\n")
    if step % 50 == 0 or step == 249:
        print(f"step {step} loss {L:.4f} val_loss {vl:.4f} val_acc {va:.4f} grad_norm {gnorm:.2e}")
log.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": L, "chance_acc": 0.40}))
