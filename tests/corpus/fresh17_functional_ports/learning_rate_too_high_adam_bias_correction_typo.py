"""Port of an optax-style Adam where bias correction was typed as (1 - b1) ** t instead of
1 - b1 ** t: the first-moment correction factor grows like 10**t, so the effective step grows
every update and the loss blows up. --control uses the correct 1 - b1 ** t."""
# expect: learning_rate_too_high
# allow: exploding_gradients, non_finite, non_convergence, high_bias
# forbid: *
# evidence: control (correct 1 - b1**t) reaches eval_accuracy 0.953, eval_loss 0.20; planted: train_loss 2.3 -> 1620 at step 5 -> 7e12 at step 10 -> NaN from step ~25, eval_accuracy 0.10 (chance 0.10)
# control: --control
# native-log: log.jsonl
# log-expect: learning_rate_too_high
# log-allow: non_finite, non_convergence, exploding_gradients, high_bias
import os, sys, json, math, random, tempfile
import numpy as np, torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
jl = open(os.path.join(LOG_DIR, "log.jsonl"), "w")

X, y = load_digits(return_X_y=True)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=2, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0); sd[sd < 1e-3] = 1.0
Xtr, Xte = torch.tensor((Xtr - mu) / sd, dtype=torch.float32), torch.tensor((Xte - mu) / sd, dtype=torch.float32)
ytr, yte = torch.tensor(ytr), torch.tensor(yte)

g = torch.Generator().manual_seed(0)
params = {"Dense_0": {"kernel": torch.randn(64, 128, generator=g) / 8.0, "bias": torch.zeros(128)},
          "Dense_1": {"kernel": torch.randn(128, 10, generator=g) / math.sqrt(128), "bias": torch.zeros(10)}}
def apply(p, x):
    h = torch.relu(x @ p["Dense_0"]["kernel"] + p["Dense_0"]["bias"])
    return h @ p["Dense_1"]["kernel"] + p["Dense_1"]["bias"]
def flat(p): return [(a, b) for a in p for b in p[a]]

LR, B1, B2, EPS = 1e-3, 0.9, 0.999, 1e-8
state = {"params": params, "mu": {k: torch.zeros_like(params[k[0]][k[1]]) for k in flat(params)},
         "nu": {k: torch.zeros_like(params[k[0]][k[1]]) for k in flat(params)}, "step": 0}

def train_step(state, batch):
    xb, yb = batch
    keys = flat(state["params"])
    leaves = [state["params"][a][b].requires_grad_(True) for a, b in keys]
    logits = apply(state["params"], xb)
    loss = torch.nn.functional.cross_entropy(logits, yb)
    grads = torch.autograd.grad(loss, leaves)
    t = state["step"] + 1
    with torch.no_grad():
        for k, leaf, gr in zip(keys, leaves, grads):
            state["mu"][k] = B1 * state["mu"][k] + (1 - B1) * gr
            state["nu"][k] = B2 * state["nu"][k] + (1 - B2) * gr * gr
            if CONTROL:
                mhat = state["mu"][k] / (1 - B1 ** t)
            else:
                mhat = state["mu"][k] / (1 - B1) ** t   # <- typo: should be 1 - B1 ** t
            vhat = state["nu"][k] / (1 - B2 ** t)
            state["params"][k[0]][k[1]] = (leaf - LR * mhat / (vhat.sqrt() + EPS)).detach()
    state["step"] = t
    return state, {"loss": loss.item(), "accuracy": (logits.argmax(1) == yb).float().mean().item()}

gen = torch.Generator().manual_seed(3)
for epoch in range(10):
    perm = torch.randperm(len(Xtr), generator=gen)
    for i in range(0, len(Xtr), 64):
        state, m = train_step(state, (Xtr[perm[i:i + 64]], ytr[perm[i:i + 64]]))
        if state["step"] % 5 == 0:
            rec = {"step": state["step"], "train_loss": m["loss"], "train_accuracy": m["accuracy"], "learning_rate": LR}
            if state["step"] % 20 == 0:
                with torch.no_grad():
                    lo = apply(state["params"], Xte)
                    rec["eval_loss"] = torch.nn.functional.cross_entropy(lo, yte).item()
                    rec["eval_accuracy"] = (lo.argmax(1) == yte).float().mean().item()
            jl.write(json.dumps(rec) + "\n")
            print(f"[step {rec['step']}] " + " ".join(f"{k}={v:.4g}" for k, v in rec.items() if k != "step"))
jl.close()
with torch.no_grad():
    lo = apply(state["params"], Xte)
    vl = torch.nn.functional.cross_entropy(lo, yte).item(); va = (lo.argmax(1) == yte).float().mean().item()
    tl = torch.nn.functional.cross_entropy(apply(state["params"], Xtr), ytr).item()
r = lambda v: round(v, 4) if math.isfinite(v) else str(v)
print("CORPUS_METRIC " + json.dumps({"val_loss": r(vl), "val_acc": r(va), "train_loss": r(tl), "chance_acc": 0.1}))
