"""Raw-tensor MLP on digits, hand-written SGD update and hand-written softmax CE.
Planted: the learning rate was copied from a tutorial that used un-averaged (summed) losses: lr=4.0."""
# expect: learning_rate_too_high
# allow: exploding_gradients, non_finite, non_convergence, dead_units
# forbid: *
# evidence: control (lr=0.1) reaches val_acc 0.969, val_loss 0.139; planted (lr=1.5) val_loss swings 0.96 -> 2.55 -> 67 -> 385 -> 127 -> 2942 -> ... ends 2.0e5, val_acc jumps 0.93/0.53/0.86/0.67, ends 0.853; logged batch loss swings between 0 and 2.5e5 (median 92)
# control: --control
# native-log: train_log.csv
# log-expect: learning_rate_too_high
# log-allow: non_convergence, exploding_gradients, non_finite
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
mu, sd = Xtr.mean(0), Xtr.std(0)
sd[sd < 1e-3] = 1.0
Xtr = torch.tensor((Xtr - mu) / sd, dtype=torch.float32); Xva = torch.tensor((Xva - mu) / sd, dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)
Ytr = torch.nn.functional.one_hot(ytr, 10).float()

W1 = (torch.randn(64, 128) * (2 / 64) ** 0.5).requires_grad_()
b1 = torch.zeros(128, requires_grad=True)
W2 = (torch.randn(128, 10) * (1 / 128) ** 0.5).requires_grad_()
b2 = torch.zeros(10, requires_grad=True)
params = [W1, b1, W2, b2]

def forward(x):
    h = torch.relu(x @ W1 + b1)
    return h @ W2 + b2

lr = 0.1 if CONTROL else 1.5
bs = 32
step = 0
f = open(os.path.join(LOG_DIR, "train_log.csv"), "w")
f.write("step,epoch,loss,lr,val_loss,val_acc\n")
for epoch in range(15):
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), bs):
        idx = perm[i:i + bs]
        z = forward(Xtr[idx])
        loss = -(Ytr[idx] * torch.log_softmax(z, 1)).sum(1).mean()
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad
                p.grad.zero_()
        step += 1
        if step % 10 == 0:
            f.write(f"{step},{epoch},{loss.item():.6f},{lr},,\n")
    with torch.no_grad():
        zv = forward(Xva)
        vl = torch.nn.functional.cross_entropy(zv, yva).item()
        va = (zv.argmax(1) == yva).float().mean().item()
    f.write(f"{step},{epoch},{loss.item():.6f},{lr},{vl:.6f},{va:.4f}\n")
    print(f"epoch {epoch} train_loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.4f}")
f.close()
with torch.no_grad():
    tl = torch.nn.functional.cross_entropy(forward(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": tl, "chance_acc": 0.1}))
