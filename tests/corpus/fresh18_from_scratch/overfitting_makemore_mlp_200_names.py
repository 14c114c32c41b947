"""makemore-style character MLP from scratch (C[X] embedding lookup, tanh hidden layer, hand-written
cross-entropy, hand-written SGD) on names sampled from a fixed random bigram chain (no download).
Planted: only 200 training names for a 30-dim embedding + 200-unit hidden layer (~25k params),
trained for 3000 steps. Control: the same model and loop on 6000 training names."""
# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: control (6000 train names) train 2.173 / val 2.210, val still improving at the end; planted (200 names) train loss 3.24 -> 1.09 while val loss bottoms at 2.52 at step 150 and climbs 2.69 -> 3.01 -> 3.29 -> 3.48 -> 3.64, ending above the uniform-chance loss 3.30
# control: --control
# native-log: makemore.txt
# log-expect: overfitting
# log-allow: high_variance
import os, sys, json, random, tempfile
import numpy as np, torch
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

V = 27
rng = np.random.default_rng(0)
lg = rng.normal(0, 2.0, (V, V)); lg[0, 0] = -1e9
T = np.exp(lg - lg.max(1, keepdims=True)); T /= T.sum(1, keepdims=True)
T[1:, 0] = T[1:, 0] * 1.5 + 0.08; T /= T.sum(1, keepdims=True)
def sample_name():
    out, c = [], 0
    while True:
        c = rng.choice(V, p=T[c])
        if c == 0 or len(out) > 15: return out
        out.append(c)
names = [sample_name() for _ in range(6500)]
block = 3
def build(ns):
    X, Y = [], []
    for n in ns:
        ctx = [0] * block
        for ch in n + [0]:
            X.append(ctx); Y.append(ch); ctx = ctx[1:] + [ch]
    return torch.tensor(X), torch.tensor(Y)
ntr = 6000 if CONTROL else 200
Xtr, Ytr = build(names[:ntr]); Xva, Yva = build(names[6000:])
print(f"train examples {len(Xtr)}, val examples {len(Xva)}")
ev = torch.randperm(len(Xtr), generator=torch.Generator().manual_seed(3))[:3000]  # train-loss probe subset
Xev, Yev = Xtr[ev], Ytr[ev]

g = torch.Generator().manual_seed(42)
C = torch.randn(V, 30, generator=g)
W1 = torch.randn(block * 30, 200, generator=g) * (5 / 3) / (block * 30) ** 0.5; b1 = torch.zeros(200)
W2 = torch.randn(200, V, generator=g) * 0.01; b2 = torch.zeros(V)
params = [C, W1, b1, W2, b2]
for p in params: p.requires_grad_()
def loss_fn(X, Y):
    h = torch.tanh(C[X].view(len(X), -1) @ W1 + b1)
    return -(torch.log_softmax(h @ W2 + b2, 1)[torch.arange(len(Y)), Y]).mean()

log = open(os.path.join(LOG_DIR, "makemore.txt"), "w")
best = 1e9
for i in range(3000):
    ix = torch.randint(0, len(Xtr), (64,), generator=g)
    loss = loss_fn(Xtr[ix], Ytr[ix])
    for p in params: p.grad = None
    loss.backward()
    with torch.no_grad():
        for p in params: p -= 0.1 * p.grad
    if i % 150 == 0 or i == 2999:
        with torch.no_grad():
            tl = loss_fn(Xev, Yev).item(); vl = loss_fn(Xva, Yva).item()
        best = min(best, vl)
        log.write(f"step {i:5d}: train loss {tl:.4f}, val loss {vl:.4f}, lr 0.1\n")
        if i % 600 == 0 or i == 2999:
            print(f"step {i} train_loss {tl:.4f} val_loss {vl:.4f} (best val so far {best:.4f})")
log.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "train_loss": tl, "best_val_loss": best, "chance_loss": float(np.log(V))}))
