"""Port of a JAX cross-entropy written as  -log(exp(z_y) / sum(exp(z)))  (the original used
jax.nn.log_softmax). This model is a cosine-similarity classifier with a logit scale of 256
(from a metric-learning codebase), so exp(z) overflows float32 (z > 88.7): inf/inf = NaN in the
loss and gradients from the first batches. --control computes the same loss with the max
subtracted (logsumexp trick)."""
# expect: non_finite
# allow: non_convergence, high_bias, exploding_gradients
# forbid: *
# evidence: control (log-sum-exp with max shifted out, same scale 256) reaches val_acc 0.958 (val_loss 0.88, overconfident at scale 256); planted: max logit at step 1 is 89.4 > 88.7, loss NaN from step 1, all params NaN, val_acc 0.10 (chance 0.10)
# control: --control
# native-log: metrics.jsonl
# log-expect: non_finite
# log-allow: non_convergence, high_bias
import os, sys, json, math, random, tempfile
import numpy as np, torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
jl = open(os.path.join(LOG_DIR, "metrics.jsonl"), "w")

X, y = load_digits(return_X_y=True)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=8, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0); sd[sd < 1e-3] = 1.0
Xtr, Xte = torch.tensor((Xtr - mu) / sd, dtype=torch.float32), torch.tensor((Xte - mu) / sd, dtype=torch.float32)
ytr, yte = torch.tensor(ytr), torch.tensor(yte)

key = torch.Generator().manual_seed(0)
params = {"enc/w": torch.randn(64, 64, generator=key) / 8.0, "enc/b": torch.zeros(64),
          "proto": torch.randn(10, 64, generator=key)}
SCALE = 256.0
def logits_fn(p, x):
    h = torch.relu(x @ p["enc/w"] + p["enc/b"])
    h = h / (h.norm(dim=1, keepdim=True) + 1e-6)
    c = p["proto"] / p["proto"].norm(dim=1, keepdim=True)
    return SCALE * h @ c.t()
def cross_entropy(z, yb):
    if CONTROL:  # log-sum-exp with the max shifted out, as jax.nn.log_softmax does
        zs = z - z.max(1, keepdim=True).values
        logp = zs - torch.log(torch.exp(zs).sum(1, keepdim=True))
        return -logp[torch.arange(len(yb)), yb].mean()
    e = torch.exp(z)
    probs = e / e.sum(1, keepdim=True)
    return -torch.log(probs[torch.arange(len(yb)), yb]).mean()

m = {k: torch.zeros_like(v) for k, v in params.items()}
LR = 0.05
gen = torch.Generator().manual_seed(1)
step, first_nan, first_max = 0, None, None
for epoch in range(10):
    perm = torch.randperm(len(Xtr), generator=gen)
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]
        leaves = [v.requires_grad_(True) for v in params.values()]
        z = logits_fn(params, Xtr[idx]); loss = cross_entropy(z, ytr[idx])
        grads = torch.autograd.grad(loss, leaves)
        if first_max is None: first_max = z.max().item()
        if first_nan is None and not math.isfinite(loss.item()): first_nan = step + 1
        with torch.no_grad():
            for (k, v), gr in zip(params.items(), grads):
                m[k] = 0.9 * m[k] + gr
                params[k] = (v - LR * m[k]).detach()
        step += 1
        if step % 10 == 0:
            rec = {"step": step, "train_loss": loss.item(), "max_logit": z.max().item()}
            if step % 30 == 0:
                with torch.no_grad():
                    ze = logits_fn(params, Xte)
                    rec["eval_loss"] = cross_entropy(ze, yte).item(); rec["eval_accuracy"] = (ze.argmax(1) == yte).float().mean().item()
                print(f"[step {step}] " + " ".join(f"{k}={v:.4g}" for k, v in rec.items() if k != "step"))
            jl.write(json.dumps(rec) + "\n")  # NaN written as the NaN token, as json.dumps does
jl.close()
with torch.no_grad():
    ze = logits_fn(params, Xte); vl = cross_entropy(ze, yte).item(); va = (ze.argmax(1) == yte).float().mean().item()
    tl = cross_entropy(logits_fn(params, Xtr), ytr).item()
nan_params = sum(int(torch.isnan(v).any()) for v in params.values())
print(f"probe: max logit at step 1 = {first_max:.1f} (exp overflows float32 above 88.7); first non-finite loss at step {first_nan}; tensors with NaN in params = {nan_params}/{len(params)}")
r = lambda v: round(v, 4) if math.isfinite(v) else str(v)
print("CORPUS_METRIC " + json.dumps({"val_loss": r(vl), "val_acc": r(va), "train_loss": r(tl), "chance_acc": 0.1}))
