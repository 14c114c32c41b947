"""Logistic regression from scratch (w, b plain tensors, hand-written BCE, full-batch GD).
Planted: lr=2e-4, the author 'played safe' after reading that big lrs diverge."""
# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: control (lr=0.5) train loss 0.588 -> 0.045, val_loss 0.086, val_acc 0.947; planted (lr=2e-4) creeps 0.588 -> 0.462 in 600 full-batch steps (still falling linearly), val_loss 0.484, val_acc 0.865 (chance 0.627); planted update/weight norm ratio 4.7e-4 -> 3.3e-4 every step vs 1.17 at step 0 for control
# control: --control
# native-log: metrics.jsonl
# log-expect:
# log-allow: non_convergence, learning_rate_too_low, high_bias
import os, sys, json, random, tempfile
import numpy as np, torch
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_breast_cancer(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0)
Xtr = torch.tensor((Xtr - mu) / sd, dtype=torch.float32); Xva = torch.tensor((Xva - mu) / sd, dtype=torch.float32)
ytr = torch.tensor(ytr, dtype=torch.float32); yva = torch.tensor(yva, dtype=torch.float32)

w = (torch.randn(30) * 0.1).requires_grad_()
b = torch.zeros(1, requires_grad=True)

def bce(logits, t):
    p = torch.sigmoid(logits).clamp(1e-7, 1 - 1e-7)
    return -(t * torch.log(p) + (1 - t) * torch.log(1 - p)).mean()

lr = 0.5 if CONTROL else 2e-4
log = open(os.path.join(LOG_DIR, "metrics.jsonl"), "w")
for it in range(600):
    loss = bce(Xtr @ w + b, ytr)
    loss.backward()
    with torch.no_grad():
        upd = lr * w.grad
        ratio = (upd.norm() / w.norm()).item()
        w -= upd
        b -= lr * b.grad
        w.grad.zero_(); b.grad.zero_()
    if it % 10 == 0 or it == 599:
        with torch.no_grad():
            zv = Xva @ w + b
            vl = bce(zv, yva).item()
            va = ((zv > 0).float() == yva).float().mean().item()
        log.write(json.dumps({"step": it, "train_loss": loss.item(), "val_loss": vl, "val_acc": va, "lr": lr}) + "\n")
        if it % 100 == 0:
            print(f"it {it} loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.4f} update/weight {ratio:.2e}")
log.close()
with torch.no_grad():
    tl = bce(Xtr @ w + b, ytr).item()
    ta = (((Xtr @ w + b) > 0).float() == ytr).float().mean().item()
print(f"final train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f} update/weight {ratio:.2e}")
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": tl, "train_acc": ta, "chance_acc": 0.627}))
