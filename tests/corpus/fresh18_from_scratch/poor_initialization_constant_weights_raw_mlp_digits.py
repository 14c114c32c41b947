"""Raw-tensor 2-layer tanh MLP on digits, full-batch gradient descent written by hand.
Planted: every weight initialised to the same constant 0.01 ("start small and equal"), so all
hidden units compute the same function and receive the same gradient forever (symmetry never breaks)."""
# expect: poor_initialization
# allow: high_bias, non_convergence
# forbid: *
# evidence: control (random 1/sqrt(fan_in) init) val_acc 0.978, val_loss 0.082, hidden activations rank 64/64; planted (all weights 0.01) val_acc 0.669, val_loss 0.904, train loss 0.733 after 300 full-batch steps; hidden activation matrix has rank 2 of 64 (units stay copies; only float round-off breaks symmetry a little)
# control: --control
# native-log: loss.csv
# log-expect:
# log-allow: high_bias, non_convergence
import os, sys, json, random, tempfile
import numpy as np, torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
mu = Xtr.mean(0); sd = Xtr.std(0); sd[sd < 1e-3] = 1
Xtr = torch.tensor((Xtr - mu) / sd, dtype=torch.float32); Xva = torch.tensor((Xva - mu) / sd, dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)
Y = torch.eye(10)[ytr]

if CONTROL:
    W1 = torch.randn(64, 64) * (1 / 64) ** 0.5; W2 = torch.randn(64, 10) * (1 / 64) ** 0.5
else:
    W1 = torch.full((64, 64), 0.01); W2 = torch.full((64, 10), 0.01)
b1 = torch.zeros(64); b2 = torch.zeros(10)
params = [p.requires_grad_() for p in (W1, b1, W2, b2)]
fwd = lambda x: torch.tanh(x @ W1 + b1) @ W2 + b2

lr = 0.5
f = open(os.path.join(LOG_DIR, "loss.csv"), "w"); f.write("step,loss,val_loss,val_acc\n")
for step in range(300):
    loss = -(Y * torch.log_softmax(fwd(Xtr), 1)).sum(1).mean()
    loss.backward()
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad; p.grad.zero_()
        zv = fwd(Xva); vl = torch.nn.functional.cross_entropy(zv, yva).item(); va = (zv.argmax(1) == yva).float().mean().item()
    f.write(f"{step},{loss.item():.6f},{vl:.6f},{va:.4f}\n")
    if step % 50 == 0 or step == 299:
        print(f"step {step} loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.4f}")
f.close()
with torch.no_grad():
    h = torch.tanh(Xtr @ W1 + b1)
    distinct = torch.linalg.matrix_rank(h).item()
    tl = torch.nn.functional.cross_entropy(fwd(Xtr), ytr).item()
print(f"rank of hidden activations (64 units): {distinct}; max |W1[:,j]-W1[:,0]| = {(W1 - W1[:, :1]).abs().max().item():.2e}")
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": tl, "chance_acc": 0.1, "hidden_rank": distinct}))
