"""Port of a Flax model whose kernel_init was `nn.initializers.normal(stddev=1.0)` (instead of
lecun_normal) in a deep tanh MLP, params in a dict, plain SGD written out by hand.
Pre-activations have std ~sqrt(fan_in) so almost every tanh unit sits at +-1.
--control uses std 1/sqrt(fan_in) (lecun_normal)."""
# expect: saturated_activations
# allow: poor_initialization, vanishing_gradients, non_convergence, high_bias, overfitting, high_variance, learning_rate_too_high
# forbid: *
# evidence: probe: fraction of hidden tanh outputs with |a|>0.99 is 0.79 at init and 0.89 at the end (control 0.003 / 0.003); control reaches val_acc 0.958 val_loss 0.136 train_loss 0.017, planted val_acc 0.58 val_loss 3.83 train_loss 3.49 (std-1 output layer gives huge logits, so the minibatch loss also jumps around 2.6-4.7: lr_too_high allowed as a side effect)
# control: --control
import sys, json, math, random
import numpy as np, torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
X, y = load_digits(return_X_y=True)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=5, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0); sd[sd < 1e-3] = 1.0
Xtr, Xte = torch.tensor((Xtr - mu) / sd, dtype=torch.float32), torch.tensor((Xte - mu) / sd, dtype=torch.float32)
ytr, yte = torch.tensor(ytr), torch.tensor(yte)

sizes = [64, 128, 128, 128, 128, 128, 128, 10]
key = torch.Generator().manual_seed(0)
params = []
for a, b in zip(sizes[:-1], sizes[1:]):
    std = 1.0 / math.sqrt(a) if CONTROL else 1.0
    params.append({"kernel": torch.randn(a, b, generator=key) * std, "bias": torch.zeros(b)})

def apply(params, x, collect=None):
    for i, p in enumerate(params):
        x = x @ p["kernel"] + p["bias"]
        if i < len(params) - 1:
            x = torch.tanh(x)
            if collect is not None: collect.append(x)
    return x
def sat_fraction(params):
    acts = []
    with torch.no_grad(): apply(params, Xtr[:512], acts)
    return float(np.mean([(a.abs() > 0.99).float().mean().item() for a in acts]))

sat0 = sat_fraction(params)
print(f"probe init: saturated fraction |tanh|>0.99 = {sat0:.3f}")
LR = 0.05
gen = torch.Generator().manual_seed(1)
step = 0
for epoch in range(15):
    perm = torch.randperm(len(Xtr), generator=gen)
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]
        leaves = [t.requires_grad_(True) for p in params for t in p.values()]
        loss = torch.nn.functional.cross_entropy(apply(params, Xtr[idx]), ytr[idx])
        grads = torch.autograd.grad(loss, leaves)
        with torch.no_grad():
            it = iter(grads)
            params = [{k: (v - LR * next(it)).detach() for k, v in p.items()} for p in params]
        step += 1
    with torch.no_grad():
        lo = apply(params, Xte); vl = torch.nn.functional.cross_entropy(lo, yte).item(); va = (lo.argmax(1) == yte).float().mean().item()
    if epoch % 3 == 2:
        print(f"[epoch {epoch}] train_loss={loss.item():.4f} val_loss={vl:.4f} val_acc={va:.4f}")
sat1 = sat_fraction(params)
with torch.no_grad(): tl = torch.nn.functional.cross_entropy(apply(params, Xtr), ytr).item()
print(f"probe end: saturated fraction |tanh|>0.99 = {sat1:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1,
                                     "sat_frac_init": round(sat0, 3), "sat_frac_end": round(sat1, 3)}))
