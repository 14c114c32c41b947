"""Logistic regression from scratch (hand-written sigmoid + BCE, full-batch GD, w/b plain tensors)
on make_circles: the classes are concentric rings.
Planted: the model is linear in the raw 2-D coordinates, which cannot separate rings.
Control: the same loop with one hidden tanh layer of 16 units (weights also plain tensors)."""
# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: control (one hidden tanh layer of 16) train_acc 0.999, val_acc 1.000, val_loss 0.032; planted (linear logit) train_acc 0.500, val_acc 0.508, train loss 0.6930 = log 2 from step 200 on; rings are separable (Bayes acc ~1.0, chance 0.5)
# control: --control
# native-log: history.csv
# log-expect:
# log-allow: high_bias, non_convergence
import os, sys, json, random, tempfile
import numpy as np, torch
from sklearn.datasets import make_circles
from sklearn.model_selection import train_test_split
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X, y = make_circles(n_samples=1200, noise=0.08, factor=0.5, random_state=0)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
Xtr = torch.tensor(Xtr, dtype=torch.float32); Xva = torch.tensor(Xva, dtype=torch.float32)
ytr = torch.tensor(ytr, dtype=torch.float32); yva = torch.tensor(yva, dtype=torch.float32)

if CONTROL:
    W1 = (torch.randn(2, 16) * (1 / 2) ** 0.5).requires_grad_(); b1 = torch.zeros(16, requires_grad=True)
    w = (torch.randn(16) * (1 / 16) ** 0.5).requires_grad_(); b = torch.zeros(1, requires_grad=True)
    params = [W1, b1, w, b]
    f = lambda x: torch.tanh(x @ W1 + b1) @ w + b
else:
    w = (torch.randn(2) * 0.1).requires_grad_(); b = torch.zeros(1, requires_grad=True)
    params = [w, b]
    f = lambda x: x @ w + b

def bce(z, t):
    return (torch.clamp(z, min=0) - z * t + torch.log1p(torch.exp(-z.abs()))).mean()

lr = 1.0
log = open(os.path.join(LOG_DIR, "history.csv"), "w"); log.write("step,train_loss,train_acc,val_loss,val_acc\n")
for step in range(500):
    z = f(Xtr); loss = bce(z, ytr)
    loss.backward()
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad; p.grad.zero_()
    if step % 10 == 0 or step == 499:
        with torch.no_grad():
            ta = ((z > 0).float() == ytr).float().mean().item()
            zv = f(Xva); vl = bce(zv, yva).item(); va = ((zv > 0).float() == yva).float().mean().item()
        log.write(f"{step},{loss.item():.6f},{ta:.4f},{vl:.6f},{va:.4f}\n")
        if step % 200 == 0 or step == 499:
            print(f"step {step} train_loss {loss.item():.4f} train_acc {ta:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
log.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": loss.item(), "train_acc": ta, "chance_acc": 0.5, "bayes_acc_approx": 1.0}))
