"""Optax-style port: gradient transformations chained by hand
(clip_by_global_norm -> scale_by_adam -> scale_by_schedule(warmup_cosine) -> scale(-1)).
The lr warms up linearly from 0, so the loss is flat for the first steps. JSON-lines log."""
# expect:
# allow:
# forbid: *
# evidence: eval_accuracy 0.958 on 143 held-out breast-cancer samples (majority-class rate 0.63); eval_loss 0.098 (train 0.078); loss flat only in the first ~10 steps of the 0-lr warm-up
# native-log: metrics.jsonl
# log-expect:
# log-allow:
import os, json, math, random, tempfile
import numpy as np, torch
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
jl = open(os.path.join(LOG_DIR, "metrics.jsonl"), "w")

X, y = load_breast_cancer(return_X_y=True)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=1, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr, Xte = torch.tensor(sc.transform(Xtr), dtype=torch.float32), torch.tensor(sc.transform(Xte), dtype=torch.float32)
ytr, yte = torch.tensor(ytr, dtype=torch.float32), torch.tensor(yte, dtype=torch.float32)

g = torch.Generator().manual_seed(0)
def glorot(a, b): return (torch.rand(a, b, generator=g) * 2 - 1) * math.sqrt(6 / (a + b))
params = {"w1": glorot(30, 64), "b1": torch.zeros(64), "w2": glorot(64, 32), "b2": torch.zeros(32),
          "w3": glorot(32, 1), "b3": torch.zeros(1)}
def apply(p, x):
    h = torch.nn.functional.gelu(x @ p["w1"] + p["b1"])
    h = torch.nn.functional.gelu(h @ p["w2"] + p["b2"])
    return (h @ p["w3"] + p["b3"]).squeeze(-1)

TOTAL, WARM, PEAK = 200, 50, 1e-3
def warmup_cosine(step):
    if step < WARM: return PEAK * step / WARM
    return PEAK * 0.5 * (1 + math.cos(math.pi * (step - WARM) / (TOTAL - WARM)))

# --- optax-like transforms: (init, update) pairs ---
def clip_by_global_norm(max_norm):
    def init(p): return {}
    def update(u, s, p):
        n = torch.sqrt(sum((v ** 2).sum() for v in u.values()))
        f = min(1.0, max_norm / (n.item() + 1e-12))
        return {k: v * f for k, v in u.items()}, s
    return init, update
def scale_by_adam(b1=0.9, b2=0.999, eps=1e-8):
    def init(p): return {"mu": {k: torch.zeros_like(v) for k, v in p.items()}, "nu": {k: torch.zeros_like(v) for k, v in p.items()}, "count": 0}
    def update(u, s, p):
        c = s["count"] + 1
        mu = {k: b1 * s["mu"][k] + (1 - b1) * u[k] for k in u}
        nu = {k: b2 * s["nu"][k] + (1 - b2) * u[k] ** 2 for k in u}
        out = {k: (mu[k] / (1 - b1 ** c)) / (torch.sqrt(nu[k] / (1 - b2 ** c)) + eps) for k in u}
        return out, {"mu": mu, "nu": nu, "count": c}
    return init, update
def scale_by_schedule(fn):
    def init(p): return {"count": 0}
    def update(u, s, p): return {k: v * fn(s["count"]) for k, v in u.items()}, {"count": s["count"] + 1}
    return init, update
def scale(f):
    def init(p): return {}
    def update(u, s, p): return {k: v * f for k, v in u.items()}, s
    return init, update
def chain(*tx):
    def init(p): return [t[0](p) for t in tx]
    def update(u, states, p):
        new = []
        for (_, up), s in zip(tx, states):
            u, s = up(u, s, p); new.append(s)
        return u, new
    return init, update

tx = chain(clip_by_global_norm(1.0), scale_by_adam(), scale_by_schedule(warmup_cosine), scale(-1.0))
state = {"params": params, "opt_state": tx[0](params), "step": 0}

def loss_fn(p, xb, yb):
    logits = apply(p, xb)
    return torch.nn.functional.binary_cross_entropy_with_logits(logits, yb), logits

def train_step(state, batch):
    p = {k: v.detach().requires_grad_(True) for k, v in state["params"].items()}
    (loss, logits) = loss_fn(p, *batch)
    grads = dict(zip(p, torch.autograd.grad(loss, list(p.values()))))
    updates, opt_state = tx[1](grads, state["opt_state"], p)
    new_p = {k: (p[k] + updates[k]).detach() for k in p}
    acc = ((logits > 0).float() == batch[1]).float().mean()
    return {"params": new_p, "opt_state": opt_state, "step": state["step"] + 1}, {"loss": loss.item(), "accuracy": acc.item()}

def evaluate(p):
    with torch.no_grad():
        lo = apply(p, Xte)
        return torch.nn.functional.binary_cross_entropy_with_logits(lo, yte).item(), ((lo > 0).float() == yte).float().mean().item()

rng = torch.Generator().manual_seed(7)
hist = []
while state["step"] < TOTAL:
    perm = torch.randperm(len(Xtr), generator=rng)
    for i in range(0, len(Xtr) - 31, 32):
        idx = perm[i:i + 32]
        lr_now = warmup_cosine(state["step"])
        state, m = train_step(state, (Xtr[idx], ytr[idx]))
        hist.append(m)
        if state["step"] % 10 == 0:
            rec = {"step": state["step"], "train_loss": float(np.mean([h["loss"] for h in hist])),
                   "train_accuracy": float(np.mean([h["accuracy"] for h in hist])), "learning_rate": lr_now}
            hist = []
            if state["step"] % 20 == 0:
                el, ea = evaluate(state["params"]); rec.update(eval_loss=el, eval_accuracy=ea)
            jl.write(json.dumps(rec) + "\n"); print(rec)
        if state["step"] >= TOTAL: break
jl.close()
el, ea = evaluate(state["params"])
with torch.no_grad():
    tl = torch.nn.functional.binary_cross_entropy_with_logits(apply(state["params"], Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(el, 4), "val_acc": round(ea, 4), "train_loss": round(tl, 4), "chance_acc": round(float(yte.mean().item()), 4)}))
