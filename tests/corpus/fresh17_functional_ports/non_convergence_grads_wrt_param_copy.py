"""Flax-style TrainState dataclass + pure train_step(state, batch) -> (state, metrics).
The port differentiates w.r.t. a fresh copy of the params ("jax.grad takes the params pytree") while
the forward pass still uses state.params, so every gradient is None -> replaced by zeros (allow_unused)
and nothing ever updates. --control differentiates w.r.t. the tensors actually used in the forward."""
# expect: non_convergence
# allow: learning_rate_too_low, high_bias, vanishing_gradients
# forbid: *
# evidence: control reaches eval_accuracy 0.81 (eval_loss 0.52, train_loss 0.40) on 1000 held-out samples; planted: grad_norm seen by the optimiser is exactly 0.0000 every step, params never change, train_loss 1.46 / eval_loss 1.44 (ln4=1.386), eval_accuracy 0.30 (chance 0.25)
# control: --control
# native-log: train_log.txt
# log-expect: non_convergence
# log-allow: high_bias, learning_rate_too_low
import os, sys, json, math, random, tempfile, dataclasses
import numpy as np, torch
from sklearn.datasets import make_classification

CONTROL = "--control" in sys.argv
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
logf = open(os.path.join(LOG_DIR, "train_log.txt"), "w")

X, y = make_classification(n_samples=3000, n_features=16, n_informative=10, n_classes=4, n_clusters_per_class=2,
                           class_sep=1.2, random_state=3)
X = (X - X[:2000].mean(0)) / X[:2000].std(0)
X, y = torch.tensor(X, dtype=torch.float32), torch.tensor(y)
Xtr, ytr, Xte, yte = X[:2000], y[:2000], X[2000:], y[2000:]

@dataclasses.dataclass
class TrainState:
    params: dict
    opt_state: dict
    step: int
    def replace(self, **kw): return dataclasses.replace(self, **kw)

def init(key):
    return {"Dense_0": {"kernel": torch.randn(16, 64, generator=key) / 4.0, "bias": torch.zeros(64)},
            "Dense_1": {"kernel": torch.randn(64, 64, generator=key) / 8.0, "bias": torch.zeros(64)},
            "Dense_2": {"kernel": torch.randn(64, 4, generator=key) / 8.0, "bias": torch.zeros(4)}}
def apply(p, x):
    x = torch.tanh(x @ p["Dense_0"]["kernel"] + p["Dense_0"]["bias"])
    x = torch.tanh(x @ p["Dense_1"]["kernel"] + p["Dense_1"]["bias"])
    return x @ p["Dense_2"]["kernel"] + p["Dense_2"]["bias"]
def tree_leaves(p): return [p[a][b] for a in sorted(p) for b in sorted(p[a])]
def tree_map(f, *ps): return {a: {b: f(*[p[a][b] for p in ps]) for b in ps[0][a]} for a in ps[0]}
def tree_unflatten(p, leaves):
    it = iter(leaves); return {a: {b: next(it) for b in sorted(p[a])} for a in sorted(p)}

key = torch.Generator().manual_seed(0)
params = init(key)
state = TrainState(params=params, opt_state={"mu": tree_map(torch.zeros_like, params), "nu": tree_map(torch.zeros_like, params)}, step=0)
LR = 3e-3

def train_step(state, batch):
    xb, yb = batch
    if CONTROL:
        diff_params = tree_map(lambda v: v.detach().requires_grad_(True), state.params)
        fwd_params = diff_params
    else:
        diff_params = tree_map(lambda v: v.detach().clone().requires_grad_(True), state.params)  # copy
        fwd_params = tree_map(lambda v: v.requires_grad_(True), state.params)
    logits = apply(fwd_params, xb)
    loss = torch.nn.functional.cross_entropy(logits, yb)
    raw = torch.autograd.grad(loss, tree_leaves(diff_params), allow_unused=True)
    grads = tree_unflatten(state.params, [torch.zeros_like(l) if gr is None else gr for gr, l in zip(raw, tree_leaves(diff_params))])
    t = state.step + 1
    mu = tree_map(lambda m, g: 0.9 * m + 0.1 * g, state.opt_state["mu"], grads)
    nu = tree_map(lambda v, g: 0.999 * v + 0.001 * g * g, state.opt_state["nu"], grads)
    new_params = tree_map(lambda p, m, v: (p - LR * (m / (1 - 0.9 ** t)) / ((v / (1 - 0.999 ** t)).sqrt() + 1e-8)).detach(),
                          state.params, mu, nu)
    gnorm = math.sqrt(sum(float((g ** 2).sum()) for g in tree_leaves(grads)))
    metrics = {"loss": loss.item(), "accuracy": (logits.argmax(1) == yb).float().mean().item(), "grad_norm": gnorm}
    return state.replace(params=new_params, opt_state={"mu": mu, "nu": nu}, step=t), metrics

def eval_step(params):
    with torch.no_grad():
        lo = apply(params, Xte)
        return {"eval_loss": torch.nn.functional.cross_entropy(lo, yte).item(), "eval_accuracy": (lo.argmax(1) == yte).float().mean().item()}

rng = torch.Generator().manual_seed(1)
buf = []
for epoch in range(8):
    perm = torch.randperm(2000, generator=rng)
    for i in range(0, 2000, 50):
        state, m = train_step(state, (Xtr[perm[i:i + 50]], ytr[perm[i:i + 50]]))
        buf.append(m)
        if state.step % 40 == 0:
            summ = {f"train_{k}": float(np.mean([b[k] for b in buf])) for k in buf[0]}; buf = []
            summ.update(eval_step(state.params))
            line = f"[step {state.step}] " + " ".join(f"{k}={v:.4f}" for k, v in summ.items())
            print(line); logf.write(line + "\n")
logf.close()
em = eval_step(state.params)
with torch.no_grad(): tl = torch.nn.functional.cross_entropy(apply(state.params, Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(em["eval_loss"], 4), "val_acc": round(em["eval_accuracy"], 4), "train_loss": round(tl, 4), "chance_acc": 0.25}))
