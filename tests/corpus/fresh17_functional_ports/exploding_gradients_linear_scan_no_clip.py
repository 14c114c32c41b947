"""Port of a JAX linear-recurrence model (h_t = h_{t-1} W + x_t U, via a lax.scan-like helper) with an
optax chain. The original chain was clip_by_global_norm(1.0) -> sgd; the port dropped the clip step.
Orthogonal W over 50 steps: the gradient norm spikes to 3e4 at step 12 and is NaN from step 13.
--control restores clip_by_global_norm(1.0). CSV log of loss/lr."""
# expect: exploding_gradients
# allow: non_finite, learning_rate_too_high, non_convergence, high_bias
# forbid: *
# evidence: control (clip_by_global_norm 1.0) reaches val_mse 0.022 (target variance 5.25), max grad norm 87; planted: global grad norm 87 -> 224 -> ... -> 3.1e4 at step 12 (loss 378) -> NaN from step 13, val_mse nan
# control: --control
# native-log: scan_train.csv
# log-expect: non_finite
# log-allow: exploding_gradients, learning_rate_too_high, non_convergence, high_bias
import os, sys, csv, json, math, random, tempfile
import numpy as np, torch

CONTROL = "--control" in sys.argv
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
fh = open(os.path.join(LOG_DIR, "scan_train.csv"), "w", newline=""); cw = csv.writer(fh)
cw.writerow(["step", "train_loss", "val_loss", "lr"])

T, H, N = 50, 16, 2000
key = torch.Generator().manual_seed(0)
data_key, init_key = torch.Generator().manual_seed(10), key
X = torch.randn(N + 1000, T, 1, generator=data_key)
Y = (X[..., 0] * 0.9 ** torch.arange(T - 1, -1, -1).float()).sum(1, keepdim=True)  # leaky integrator target
Xtr, ytr, Xte, yte = X[:N], Y[:N], X[N:], Y[N:]

Q, _ = torch.linalg.qr(torch.randn(H, H, generator=init_key))
params = {"W": Q, "U": torch.randn(1, H, generator=init_key) / 4, "Wo": torch.randn(H, 1, generator=init_key) / 4, "bo": torch.zeros(1)}

def scan(f, init, xs):  # jax.lax.scan(f, init, xs) with xs time-major
    carry, ys = init, []
    for x in xs:
        carry, y = f(carry, x); ys.append(y)
    return carry, ys
def apply(p, x):
    step_fn = lambda h, xt: (h @ p["W"] + xt @ p["U"], None)
    h, _ = scan(step_fn, torch.zeros(x.shape[0], H), x.transpose(0, 1))
    return h @ p["Wo"] + p["bo"]

def clip_by_global_norm(max_norm):
    def update(g):
        n = math.sqrt(sum(float((v ** 2).sum()) for v in g.values()))
        f = min(1.0, max_norm / (n + 1e-12)) if math.isfinite(n) else 1.0
        return {k: v * f for k, v in g.items()}
    return update
def sgd(lr): return lambda g: {k: -lr * v for k, v in g.items()}
def chain(*fs):
    def update(g):
        for f in fs: g = f(g)
        return g
    return update
LR = 0.01
tx = chain(clip_by_global_norm(1.0), sgd(LR)) if CONTROL else chain(sgd(LR))

gen = torch.Generator().manual_seed(1)
step, gnorms = 0, []
for epoch in range(5):
    perm = torch.randperm(N, generator=gen)
    for i in range(0, N, 32):
        idx = perm[i:i + 32]
        leaves = {k: v.requires_grad_(True) for k, v in params.items()}
        loss = ((apply(leaves, Xtr[idx]) - ytr[idx]) ** 2).mean()
        grads = dict(zip(leaves, torch.autograd.grad(loss, list(leaves.values()))))
        gn = math.sqrt(sum(float((v ** 2).sum()) for v in grads.values())); gnorms.append(gn)
        updates = tx(grads)
        with torch.no_grad():
            params = {k: (params[k] + updates[k]).detach() for k in params}
        step += 1
        if step <= 40 or step % 30 == 0:
            vl = ""
            if step % 30 == 0:
                with torch.no_grad(): vl = ((apply(params, Xte) - yte) ** 2).mean().item()
            cw.writerow([step, loss.item(), vl, LR])
            print(f"[step {step}] train_loss={loss.item():.4g} grad_norm={gn:.4g}" + (f" eval_mse={vl:.4g}" if vl != "" else ""))
fh.close()
with torch.no_grad():
    vm = ((apply(params, Xte) - yte) ** 2).mean().item(); tm = ((apply(params, Xtr) - ytr) ** 2).mean().item()
r = lambda v: round(v, 4) if math.isfinite(v) else str(v)
first_bad = next((i + 1 for i, g in enumerate(gnorms) if not math.isfinite(g)), None)
print(f"probe: grad norm first 5 steps = {[round(g, 1) for g in gnorms[:5]]}, max finite = {max([g for g in gnorms if math.isfinite(g)]):.4g}, first non-finite grad at step {first_bad}")
print("CORPUS_METRIC " + json.dumps({"val_mse": r(vm), "train_mse": r(tm), "target_var": round(yte.var().item(), 4)}))
