"""Flax/optax-style EMA of the parameters (optax.ema-like) kept in a dict and evaluated instead of
the raw params; momentum SGD written by hand; eval every N steps averaged in a metrics dict; CSV log."""
# expect:
# allow:
# forbid: *
# evidence: EMA params reach eval_accuracy 0.977, eval_loss 0.106 on 1000 held-out synthetic samples (5 classes, chance 0.20); raw params 0.973; train_loss 0.039
# native-log: metrics.csv
# log-expect:
# log-allow:
import os, csv, json, math, random, tempfile, copy
import numpy as np, torch
from sklearn.datasets import make_classification

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
fh = open(os.path.join(LOG_DIR, "metrics.csv"), "w", newline="")
w = csv.writer(fh); w.writerow(["step", "train_loss", "train_accuracy", "eval_loss", "eval_accuracy", "lr"])

X, y = make_classification(n_samples=3000, n_features=20, n_informative=12, n_redundant=4, n_classes=5,
                           n_clusters_per_class=1, class_sep=1.5, random_state=0)
X = (X - X[:2000].mean(0)) / X[:2000].std(0)
X, y = torch.tensor(X, dtype=torch.float32), torch.tensor(y)
Xtr, ytr, Xte, yte = X[:2000], y[:2000], X[2000:], y[2000:]

key = torch.Generator().manual_seed(123)
def lecun(a, b): return torch.randn(a, b, generator=key) / math.sqrt(a)
params = {"l1.w": lecun(20, 96), "l1.b": torch.zeros(96), "l2.w": lecun(96, 96), "l2.b": torch.zeros(96),
          "out.w": lecun(96, 5), "out.b": torch.zeros(5)}
def apply(p, x):
    h = torch.nn.functional.silu(x @ p["l1.w"] + p["l1.b"])
    h = torch.nn.functional.silu(h @ p["l2.w"] + p["l2.b"])
    return h @ p["out.w"] + p["out.b"]

ema = {k: v.clone() for k, v in params.items()}
vel = {k: torch.zeros_like(v) for k, v in params.items()}
LR, MOM, DECAY = 0.05, 0.9, 0.99
def evaluate(p):
    with torch.no_grad():
        lo = apply(p, Xte)
        return torch.nn.functional.cross_entropy(lo, yte).item(), (lo.argmax(1) == yte).float().mean().item()

step, acc = 0, {"loss": 0.0, "accuracy": 0.0, "n": 0}
perm_key = torch.Generator().manual_seed(5)
for epoch in range(5):
    perm = torch.randperm(2000, generator=perm_key)
    for i in range(0, 2000, 16):
        idx = perm[i:i + 16]
        leaves = [v.requires_grad_(True) for v in params.values()]
        lo = apply(params, Xtr[idx]); loss = torch.nn.functional.cross_entropy(lo, ytr[idx])
        grads = torch.autograd.grad(loss, leaves)
        with torch.no_grad():
            for (k, v), gr in zip(params.items(), grads):
                vel[k].mul_(MOM).add_(gr)
                v.sub_(LR * vel[k])
                ema[k].mul_(DECAY).add_(v.detach(), alpha=1 - DECAY)
        step += 1
        acc["loss"] += loss.item(); acc["accuracy"] += (lo.argmax(1) == ytr[idx]).float().mean().item(); acc["n"] += 1
        if step % 125 == 0:
            el, ea = evaluate(ema)
            row = [step, acc["loss"] / acc["n"], acc["accuracy"] / acc["n"], el, ea, LR]
            w.writerow(row); fh.flush()
            print("[step %d] train_loss=%.4f train_accuracy=%.4f eval_loss=%.4f eval_accuracy=%.4f (ema)" % tuple(row[:5]))
            acc = {"loss": 0.0, "accuracy": 0.0, "n": 0}
fh.close()
el, ea = evaluate(ema); rl, ra = evaluate(params)
with torch.no_grad(): tl = torch.nn.functional.cross_entropy(apply(ema, Xtr), ytr).item()
print(f"raw params: eval_loss={rl:.4f} eval_accuracy={ra:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(el, 4), "val_acc": round(ea, 4), "train_loss": round(tl, 4), "chance_acc": 0.2, "raw_val_acc": round(ra, 4)}))
