"""Hand-written Adam (bias-corrected, lr 1e-2) on a params dict: the bias correction makes the first
updates ~lr*sign(g) for every weight, so the logged loss jumps up over the first ~10 steps before
settling -- a normal transient, not a too-high learning rate. Batch 16 gives a noisy per-step loss.
clu-style lines printed every 10 steps and saved to a text file."""
# expect:
# allow:
# forbid: *
# evidence: eval_accuracy 0.951 on 1200 held-out synthetic samples (6 classes, chance 0.17), eval_loss 0.215 (min 0.197), train_loss 0.105; per-step loss 1.93 -> 1.55 -> 1.85 -> 0.97 -> 1.41 in the first steps (big bias-corrected Adam steps + batch 16), then settles
# native-log: clu_log.txt
# log-expect:
# log-allow:
import os, json, math, random, tempfile
import numpy as np, torch
from sklearn.datasets import make_classification

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
logf = open(os.path.join(LOG_DIR, "clu_log.txt"), "w")

X, y = make_classification(n_samples=3600, n_features=24, n_informative=14, n_redundant=4, n_classes=6,
                           n_clusters_per_class=1, class_sep=1.6, random_state=15)
X = (X - X[:2400].mean(0)) / X[:2400].std(0)
X, y = torch.tensor(X, dtype=torch.float32), torch.tensor(y)
Xtr, ytr, Xte, yte = X[:2400], y[:2400], X[2400:], y[2400:]

key = torch.Generator().manual_seed(21)
params = {"Dense_0/kernel": torch.randn(24, 128, generator=key) * math.sqrt(2 / 24), "Dense_0/bias": torch.zeros(128),
          "Dense_1/kernel": torch.randn(128, 6, generator=key) * math.sqrt(1 / 128), "Dense_1/bias": torch.zeros(6)}
def apply(p, x): return torch.relu(x @ p["Dense_0/kernel"] + p["Dense_0/bias"]) @ p["Dense_1/kernel"] + p["Dense_1/bias"]
mu = {k: torch.zeros_like(v) for k, v in params.items()}; nu = {k: torch.zeros_like(v) for k, v in params.items()}
LR = 1e-2
def log(s): print(s); logf.write(s + "\n")
gen = torch.Generator().manual_seed(2); step = 0; buf = {"loss": [], "accuracy": []}
for epoch in range(4):
    perm = torch.randperm(2400, generator=gen)
    for i in range(0, 2400, 16):
        idx = perm[i:i + 16]
        leaves = [v.requires_grad_(True) for v in params.values()]
        lo = apply(params, Xtr[idx]); loss = torch.nn.functional.cross_entropy(lo, ytr[idx])
        grads = torch.autograd.grad(loss, leaves); step += 1
        with torch.no_grad():
            for (k, v), g in zip(params.items(), grads):
                mu[k] = 0.9 * mu[k] + 0.1 * g; nu[k] = 0.999 * nu[k] + 0.001 * g * g
                params[k] = (v - LR * (mu[k] / (1 - 0.9 ** step)) / ((nu[k] / (1 - 0.999 ** step)).sqrt() + 1e-8)).detach()
        buf["loss"].append(loss.item()); buf["accuracy"].append((lo.argmax(1) == ytr[idx]).float().mean().item())
        if step <= 10 or step % 10 == 0:
            line = f"[step {step}] train_loss={np.mean(buf['loss']):.4f} train_accuracy={np.mean(buf['accuracy']):.4f} learning_rate={LR:.0e}"
            buf = {"loss": [], "accuracy": []}
            if step % 50 == 0:
                with torch.no_grad():
                    e = apply(params, Xte)
                line += f" eval_loss={torch.nn.functional.cross_entropy(e, yte).item():.4f} eval_accuracy={(e.argmax(1) == yte).float().mean().item():.4f}"
            log(line)
logf.close()
with torch.no_grad():
    e = apply(params, Xte); vl = torch.nn.functional.cross_entropy(e, yte).item(); va = (e.argmax(1) == yte).float().mean().item()
    tl = torch.nn.functional.cross_entropy(apply(params, Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1667}))
