"""Port of a Flax MLP where `kernel_init=nn.initializers.constant(0.01)` was used for every Dense
(meant only for the final layer's bias). Every hidden unit in a layer starts identical and receives
identical gradients, so the symmetry is never broken: the 3x128 tanh MLP behaves like a 1-unit-wide
network. Params live in a dict; updates by a hand-written Adam. --control uses lecun_normal kernels."""
# expect: poor_initialization
# allow: non_convergence, high_bias, vanishing_gradients
# forbid: *
# evidence: probe: std across hidden units / mean |activation| in layer 2 = 0.0000 at init and at the end (control 1.113): units stay identical (no saturation: |tanh|>0.99 fraction 0.0); planted val_acc 0.251 val_loss 1.709 train_loss 1.65, control val_acc 0.964 val_loss 0.113 (chance 0.10)
# control: --control
import sys, json, math, random
import numpy as np, torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
X, y = load_digits(return_X_y=True)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=14, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0); sd[sd < 1e-3] = 1.0
Xtr, Xte = torch.tensor((Xtr - mu) / sd, dtype=torch.float32), torch.tensor((Xte - mu) / sd, dtype=torch.float32)
ytr, yte = torch.tensor(ytr), torch.tensor(yte)

key = torch.Generator().manual_seed(0)
def kernel_init(a, b):
    if CONTROL: return torch.randn(a, b, generator=key) / math.sqrt(a)   # lecun_normal
    return torch.full((a, b), 0.01)                                       # constant(0.01)
sizes = [64, 128, 128, 128, 10]
params = {f"Dense_{i}": {"kernel": kernel_init(a, b), "bias": torch.zeros(b)} for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:]))}
def apply(p, x, acts=None):
    for i in range(4):
        x = x @ p[f"Dense_{i}"]["kernel"] + p[f"Dense_{i}"]["bias"]
        if i < 3:
            x = torch.tanh(x)
            if acts is not None: acts.append(x)
    return x
def symmetry_probe(p):
    acts = []
    with torch.no_grad(): apply(p, Xtr[:500], acts)
    a = acts[1]
    return (a.std(1).mean() / (a.abs().mean() + 1e-12)).item()

names = [(a, b) for a in params for b in params[a]]
m = {n: torch.zeros_like(params[n[0]][n[1]]) for n in names}; v = {n: torch.zeros_like(params[n[0]][n[1]]) for n in names}
print(f"probe init: unit spread in layer 2 = {symmetry_probe(params):.4f}")
gen = torch.Generator().manual_seed(1); t = 0
for epoch in range(10):
    perm = torch.randperm(len(Xtr), generator=gen)
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]
        leaves = [params[a][b].requires_grad_(True) for a, b in names]
        loss = torch.nn.functional.cross_entropy(apply(params, Xtr[idx]), ytr[idx])
        grads = torch.autograd.grad(loss, leaves); t += 1
        with torch.no_grad():
            for n, gr in zip(names, grads):
                m[n] = 0.9 * m[n] + 0.1 * gr; v[n] = 0.999 * v[n] + 0.001 * gr * gr
                params[n[0]][n[1]] = (params[n[0]][n[1]] - 1e-3 * (m[n] / (1 - 0.9 ** t)) / ((v[n] / (1 - 0.999 ** t)).sqrt() + 1e-8)).detach()
    if epoch % 3 == 2 or epoch == 9:
        with torch.no_grad():
            lo = apply(params, Xte); vl = torch.nn.functional.cross_entropy(lo, yte).item(); va = (lo.argmax(1) == yte).float().mean().item()
        print(f"[epoch {epoch}] train_loss={loss.item():.4f} eval_loss={vl:.4f} eval_accuracy={va:.4f} unit_spread={symmetry_probe(params):.4f}")
with torch.no_grad(): tl = torch.nn.functional.cross_entropy(apply(params, Xtr), ytr).item()
sp = symmetry_probe(params)
print(f"probe end: unit spread in layer 2 (std across units / mean |a|) = {sp:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1, "unit_spread": round(sp, 4)}))
