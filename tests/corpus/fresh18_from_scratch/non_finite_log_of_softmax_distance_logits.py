"""Prototype (distance-based) classifier from scratch on digits: an embedding MLP of plain tensors,
learnable class prototypes, logits = -squared Euclidean distance, hand-written cross-entropy,
hand-written SGD.
Planted: the cross-entropy is written as torch.log(softmax(z)) with a hand-written softmax.
Squared distances easily differ by >104 between classes, so the probability of a far-away class
underflows to 0 in float32, log gives -inf, and the one-hot product 0 * -inf is NaN."""
# expect: non_finite
# allow: non_convergence, exploding_gradients
# forbid: *
# evidence: control (torch.log_softmax) reaches val_acc 0.938, val_loss 0.70 (chance 0.10); planted: loss 23.3, 13.1, then NaN at step 3 (max-logit gap in the batch 36-62, far-class gaps >104 underflow), W1 becomes NaN, val_acc 0.10, val_loss NaN for all 15 epochs
# control: --control
# native-log: train_metrics.jsonl
# log-expect: non_finite
# log-allow: non_convergence
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

W1 = (torch.randn(64, 128) * (2 / 64) ** 0.5).requires_grad_(); b1 = torch.zeros(128, requires_grad=True)
W2 = (torch.randn(128, 32) * (2 / 128) ** 0.5).requires_grad_(); b2 = torch.zeros(32, requires_grad=True)
P = torch.randn(10, 32).requires_grad_()
params = [W1, b1, W2, b2, P]

def logits(x):
    e = torch.relu(x @ W1 + b1) @ W2 + b2
    return -((e[:, None, :] - P[None]) ** 2).sum(-1)

def softmax(z):
    z = z - z.max(1, keepdim=True).values
    ez = torch.exp(z)
    return ez / ez.sum(1, keepdim=True)

def xent(z, Yb):
    if CONTROL:
        return -(Yb * torch.log_softmax(z, 1)).sum(1).mean()
    return -(Yb * torch.log(softmax(z))).sum(1).mean()

lr, bs, step = 0.01, 32, 0
log = open(os.path.join(LOG_DIR, "train_metrics.jsonl"), "w")
first_nan = None
for epoch in range(15):
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), bs):
        idx = perm[i:i + bs]
        z = logits(Xtr[idx])
        gap = (z.max(1).values - z[torch.arange(len(idx)), ytr[idx]]).max().item()
        loss = xent(z, Y[idx])
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad; p.grad.zero_()
        step += 1
        if first_nan is None and not torch.isfinite(loss):
            first_nan = step
            print(f"step {step}: loss {loss.item()} (largest max-logit minus true-logit gap in batch {gap:.1f}); W1 finite: {bool(torch.isfinite(W1).all())}")
        log.write(json.dumps({"step": step, "epoch": epoch, "loss": loss.item(), "lr": lr}) + "\n")
    with torch.no_grad():
        zv = logits(Xva); vl = -(torch.log_softmax(zv, 1)[torch.arange(len(yva)), yva]).mean().item()
        va = (zv.argmax(1) == yva).float().mean().item()
    log.write(json.dumps({"step": step, "epoch": epoch, "val_loss": vl, "val_acc": va}) + "\n")
    print(f"epoch {epoch} loss {loss.item():.4f} max logit gap {gap:.1f} val_loss {vl:.4f} val_acc {va:.4f}")
log.close()
with torch.no_grad():
    tl = -(torch.log_softmax(logits(Xtr), 1)[torch.arange(len(ytr)), ytr]).mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": tl, "chance_acc": 0.1, "first_nonfinite_step": first_nan}))
