"""Port of a Flax Dense stack where `bias_init=nn.initializers.constant(-1.0)` was copied from a
gated-unit config into a plain ReLU MLP (params as a nested dict, hand-written Adam via a pure
update function). With He-init kernels and bias -1, most ReLUs never fire for any input.
--control uses bias_init=zeros."""
# expect: dead_units
# allow: non_convergence, high_bias, vanishing_gradients, poor_initialization
# forbid: *
# evidence: probe: fraction of hidden ReLU units that never fire on the whole train set: planted 0.80 at init and at the end (control 0.055 / 0.086); the surviving units cannot pass signal, so planted stays at val_loss 2.3026 val_acc 0.10 (chance 0.10) while control reaches val_acc 0.973 val_loss 0.098
# control: --control
import sys, json, math, random
import numpy as np, torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
X, y = load_digits(return_X_y=True)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=6, stratify=y)
Xtr, Xte = torch.tensor(Xtr / 16.0, dtype=torch.float32), torch.tensor(Xte / 16.0, dtype=torch.float32)
ytr, yte = torch.tensor(ytr), torch.tensor(yte)

BIAS = 0.0 if CONTROL else -1.0
sizes = [64, 128, 128, 128, 10]
key = torch.Generator().manual_seed(0)
params = {f"Dense_{i}": {"kernel": torch.randn(a, b, generator=key) * math.sqrt(2 / a),
                         "bias": torch.full((b,), BIAS if i < len(sizes) - 2 else 0.0)}
          for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:]))}

def apply(p, x, acts=None):
    n = len(p)
    for i in range(n):
        x = x @ p[f"Dense_{i}"]["kernel"] + p[f"Dense_{i}"]["bias"]
        if i < n - 1:
            x = torch.relu(x)
            if acts is not None: acts.append(x)
    return x
def dead_fraction(p):
    acts = []
    with torch.no_grad(): apply(p, Xtr, acts)
    return float(torch.cat([(a.max(0).values <= 0).float() for a in acts]).mean())

def adam_init(p): return {"m": {a: {b: torch.zeros_like(t) for b, t in d.items()} for a, d in p.items()},
                          "v": {a: {b: torch.zeros_like(t) for b, t in d.items()} for a, d in p.items()}, "t": 0}
def adam_update(p, g, s, lr=1e-3):
    t = s["t"] + 1
    newp = {}
    for a in p:
        newp[a] = {}
        for b in p[a]:
            s["m"][a][b] = 0.9 * s["m"][a][b] + 0.1 * g[a][b]
            s["v"][a][b] = 0.999 * s["v"][a][b] + 0.001 * g[a][b] ** 2
            newp[a][b] = (p[a][b] - lr * (s["m"][a][b] / (1 - 0.9 ** t)) / ((s["v"][a][b] / (1 - 0.999 ** t)).sqrt() + 1e-8)).detach()
    s["t"] = t
    return newp, s

dead0 = dead_fraction(params)
print(f"probe init: dead ReLU fraction = {dead0:.3f}")
state = adam_init(params)
gen = torch.Generator().manual_seed(1)
for epoch in range(10):
    perm = torch.randperm(len(Xtr), generator=gen)
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]
        names = [(a, b) for a in params for b in params[a]]
        leaves = [params[a][b].requires_grad_(True) for a, b in names]
        loss = torch.nn.functional.cross_entropy(apply(params, Xtr[idx]), ytr[idx])
        gl = torch.autograd.grad(loss, leaves)
        grads = {a: {} for a in params}
        for (a, b), gg in zip(names, gl): grads[a][b] = gg
        params, state = adam_update(params, grads, state)
    if epoch % 3 == 2 or epoch == 9:
        with torch.no_grad():
            lo = apply(params, Xte); vl = torch.nn.functional.cross_entropy(lo, yte).item(); va = (lo.argmax(1) == yte).float().mean().item()
        print(f"[epoch {epoch}] train_loss={loss.item():.4f} eval_loss={vl:.4f} eval_accuracy={va:.4f} dead_frac={dead_fraction(params):.3f}")
dead1 = dead_fraction(params)
with torch.no_grad(): tl = torch.nn.functional.cross_entropy(apply(params, Xtr), ytr).item()
print(f"probe end: dead ReLU fraction = {dead1:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1,
                                     "dead_frac_init": round(dead0, 3), "dead_frac_end": round(dead1, 3)}))
