"""Flax-style port: params in a dict of tensors, hand-written Adam with bias correction
(big first steps are normal), clu-style printed metrics saved to a .txt log."""
# expect:
# allow:
# forbid: *
# evidence: eval_accuracy 0.987 on 450 held-out digits (chance 0.10); eval_loss 0.057 and flat at its best while train_loss -> 0.0006 (look-alike: train loss ~0, val flat, not rising)
# native-log: train_log.txt
# log-expect:
# log-allow:
import os, sys, json, math, random, tempfile
import numpy as np, torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
logf = open(os.path.join(LOG_DIR, "train_log.txt"), "w")

X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.5) / 0.3
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
Xtr, Xte = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xte, dtype=torch.float32)
ytr, yte = torch.tensor(ytr), torch.tensor(yte)

def init_params(key, sizes):
    p = {}
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        p[f"Dense_{i}/kernel"] = torch.randn(a, b, generator=key) * math.sqrt(2.0 / a)
        p[f"Dense_{i}/bias"] = torch.zeros(b)
    return p

def apply(params, x):
    n = len(params) // 2
    for i in range(n):
        x = x @ params[f"Dense_{i}/kernel"] + params[f"Dense_{i}/bias"]
        if i < n - 1:
            x = torch.relu(x)
    return x

key = torch.Generator().manual_seed(42)
params = init_params(key, [64, 128, 64, 10])
for v in params.values(): v.requires_grad_(True)
opt = {"mu": {k: torch.zeros_like(v) for k, v in params.items()},
       "nu": {k: torch.zeros_like(v) for k, v in params.items()}, "count": 0}
lr, b1, b2, eps = 3e-3, 0.9, 0.999, 1e-8

def adam_update(params, grads, opt):
    opt["count"] += 1
    t = opt["count"]
    with torch.no_grad():
        for k in params:
            opt["mu"][k].mul_(b1).add_(grads[k], alpha=1 - b1)
            opt["nu"][k].mul_(b2).addcmul_(grads[k], grads[k], value=1 - b2)
            mhat = opt["mu"][k] / (1 - b1 ** t)
            vhat = opt["nu"][k] / (1 - b2 ** t)
            params[k].sub_(lr * mhat / (vhat.sqrt() + eps))

def log(msg):
    print(msg); logf.write(msg + "\n"); logf.flush()

step = 0
perm_key = torch.Generator().manual_seed(1)
acc = {"loss": [], "accuracy": []}
for epoch in range(30):
    perm = torch.randperm(len(Xtr), generator=perm_key)
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]
        logits = apply(params, Xtr[idx])
        loss = torch.nn.functional.cross_entropy(logits, ytr[idx])
        grads = dict(zip(params.keys(), torch.autograd.grad(loss, list(params.values()))))
        adam_update(params, grads, opt)
        step += 1
        acc["loss"].append(loss.item()); acc["accuracy"].append((logits.argmax(1) == ytr[idx]).float().mean().item())
        if step % 50 == 0:
            with torch.no_grad():
                el = apply(params, Xte)
                eloss = torch.nn.functional.cross_entropy(el, yte).item(); eacc = (el.argmax(1) == yte).float().mean().item()
            log(f"[step {step}] train_loss={np.mean(acc['loss']):.4f} train_accuracy={np.mean(acc['accuracy']):.4f} "
                f"eval_loss={eloss:.4f} eval_accuracy={eacc:.4f}")
            acc = {"loss": [], "accuracy": []}
with torch.no_grad():
    el = apply(params, Xte); tl = apply(params, Xtr)
    res = {"val_loss": round(torch.nn.functional.cross_entropy(el, yte).item(), 4),
           "val_acc": round((el.argmax(1) == yte).float().mean().item(), 4),
           "train_loss": round(torch.nn.functional.cross_entropy(tl, ytr).item(), 4), "chance_acc": 0.1}
logf.close()
print("CORPUS_METRIC " + json.dumps(res))
