"""JAX-style GRU cell applied with a lax.scan-like helper over time, params in a dict, optax-like chain
clip_by_global_norm(1.0) -> scale_by_adam -> scale(-lr) written out by hand; PRNG keys split by hand
(torch.Generator per purpose). Task: classify whether a noisy 30-step sequence contains an up-chirp,
a down-chirp or neither. clu-style metric lines."""
# expect:
# allow:
# forbid: *
# evidence: eval_accuracy 0.97 on 600 held-out sequences (3 balanced classes, chance 0.33), eval_loss 0.104, train_loss 0.105; global-norm clip (1.0) active on 110/228 steps, which is ordinary for an RNN
import json, math, random
import numpy as np, torch

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
def split(seed, n): return [torch.Generator().manual_seed(seed * 1000 + i) for i in range(n)]
data_key, init_key, shuffle_key = split(0, 3)

T, H = 30, 32
def make(n, g):
    y = torch.randint(0, 3, (n,), generator=g)
    t = torch.linspace(0, 1, T)
    base = torch.sin(2 * math.pi * (2 + 4 * t) * t)
    sig = torch.stack([torch.zeros(T), base, base.flip(0)])[y]
    x = sig + 0.7 * torch.randn(n, T, generator=g)
    return x.unsqueeze(-1), y
Xtr, ytr = make(1800, data_key); Xte, yte = make(600, data_key)

def glorot(a, b, g): return (torch.rand(a, b, generator=g) * 2 - 1) * math.sqrt(6 / (a + b))
params = {}
for gate in "zrh":
    params[f"W{gate}"] = glorot(1, H, init_key); params[f"U{gate}"] = torch.linalg.qr(torch.randn(H, H, generator=init_key))[0]
    params[f"b{gate}"] = torch.zeros(H)
params["Wo"] = glorot(H, 3, init_key); params["bo"] = torch.zeros(3)

def gru_cell(p, h, x):
    z = torch.sigmoid(x @ p["Wz"] + h @ p["Uz"] + p["bz"])
    r = torch.sigmoid(x @ p["Wr"] + h @ p["Ur"] + p["br"])
    hh = torch.tanh(x @ p["Wh"] + (r * h) @ p["Uh"] + p["bh"])
    return (1 - z) * h + z * hh
def scan(f, carry, xs):
    for x in xs: carry = f(carry, x)
    return carry
def apply(p, x):
    h = scan(lambda h, xt: gru_cell(p, h, xt), torch.zeros(x.shape[0], H), x.transpose(0, 1))
    return h @ p["Wo"] + p["bo"]

opt = {"mu": {k: torch.zeros_like(v) for k, v in params.items()}, "nu": {k: torch.zeros_like(v) for k, v in params.items()}, "count": 0}
def tx_update(grads, opt):
    n = math.sqrt(sum(float((g ** 2).sum()) for g in grads.values()))
    f = min(1.0, 1.0 / (n + 1e-12))
    grads = {k: g * f for k, g in grads.items()}
    c = opt["count"] + 1
    mu = {k: 0.9 * opt["mu"][k] + 0.1 * grads[k] for k in grads}
    nu = {k: 0.999 * opt["nu"][k] + 0.001 * grads[k] ** 2 for k in grads}
    upd = {k: -3e-3 * (mu[k] / (1 - 0.9 ** c)) / ((nu[k] / (1 - 0.999 ** c)).sqrt() + 1e-8) for k in grads}
    return upd, {"mu": mu, "nu": nu, "count": c}, n

step, buf, clipped = 0, [], 0
for epoch in range(4):
    perm = torch.randperm(len(Xtr), generator=shuffle_key)
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]
        leaves = {k: v.requires_grad_(True) for k, v in params.items()}
        lo = apply(leaves, Xtr[idx]); loss = torch.nn.functional.cross_entropy(lo, ytr[idx])
        grads = dict(zip(leaves, torch.autograd.grad(loss, list(leaves.values()))))
        upd, opt, gn = tx_update(grads, opt); clipped += gn > 1.0
        with torch.no_grad(): params = {k: (params[k] + upd[k]).detach() for k in params}
        step += 1; buf.append((loss.item(), (lo.argmax(1) == ytr[idx]).float().mean().item(), gn))
        if step % 75 == 0:
            with torch.no_grad():
                e = apply(params, Xte); el = torch.nn.functional.cross_entropy(e, yte).item(); ea = (e.argmax(1) == yte).float().mean().item()
            b = np.array(buf); buf = []
            print(f"[step {step}] train_loss={b[:, 0].mean():.4f} train_accuracy={b[:, 1].mean():.4f} grad_norm={b[:, 2].mean():.3f} eval_loss={el:.4f} eval_accuracy={ea:.4f}")
with torch.no_grad(): tl = torch.nn.functional.cross_entropy(apply(params, Xtr), ytr).item()
print(f"steps where clipping was active: {clipped}/{step}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(el, 4), "val_acc": round(ea, 4), "train_loss": round(tl, 4), "chance_acc": 0.3333}))
