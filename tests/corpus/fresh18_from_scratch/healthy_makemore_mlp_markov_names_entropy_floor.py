"""makemore-style character MLP (Bengio 2003) written from scratch: embedding table C, C[X] lookup,
hidden tanh layer, hand-written cross-entropy, mini-batch SGD with a step lr decay.
Data: 'names' sampled from a fixed random character bigram chain (no download), so the best
achievable loss is known exactly: the true conditional entropy of the chain. The loss plateaus
at that data-limited floor; nothing is wrong."""
# expect:
# allow:
# forbid: *
# evidence: val_loss 2.233 vs exact entropy floor of the generating chain 2.145 (chance log27 = 3.296): 92% of the achievable reduction; train 2.174 vs its floor 2.121; val loss flat 2.31 -> 2.30 over steps 2500-3000 and 2.24 -> 2.23 after the lr drop; noisy batch loss 1.9-2.7 is sampling noise
# native-log: makemore_log.csv
# log-expect:
# log-allow:
import os, sys, json, random, tempfile
import numpy as np, torch
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

V = 27  # '.' + a-z
rng = np.random.default_rng(0)
logits = rng.normal(0, 2.0, (V, V)); logits[0, 0] = -1e9  # no empty names
T = np.exp(logits - logits.max(1, keepdims=True)); T /= T.sum(1, keepdims=True)
T[1:, 0] = T[1:, 0] * 1.5 + 0.08; T /= T.sum(1, keepdims=True)  # names end reasonably soon
def sample_name():
    out, c = [], 0
    while True:
        c = rng.choice(V, p=T[c])
        if c == 0 or len(out) > 15: return out
        out.append(c)
names = [sample_name() for _ in range(8000)]
block = 3
def build(ns):
    X, Y, H = [], [], []
    for n in ns:
        ctx = [0] * block
        for ch in n + [0]:
            X.append(ctx); Y.append(ch); H.append(-np.log(T[ctx[-1], ch] if len(n) <= 15 or ch != 0 else 1.0))
            ctx = ctx[1:] + [ch]
    return torch.tensor(X), torch.tensor(Y), float(np.mean(H))
Xtr, Ytr, floor_tr = build(names[:6400]); Xva, Yva, floor_va = build(names[6400:])

g = torch.Generator().manual_seed(42)
C = torch.randn(V, 10, generator=g)
W1 = torch.randn(block * 10, 64, generator=g) * (5 / 3) / (block * 10) ** 0.5
b1 = torch.randn(64, generator=g) * 0.01
W2 = torch.randn(64, V, generator=g) * 0.01
b2 = torch.zeros(V)
params = [C, W1, b1, W2, b2]
for p in params: p.requires_grad_()

def loss_fn(X, Y):
    emb = C[X]
    h = torch.tanh(emb.view(len(X), -1) @ W1 + b1)
    z = h @ W2 + b2
    return -(torch.log_softmax(z, 1)[torch.arange(len(Y)), Y]).mean()

log = open(os.path.join(LOG_DIR, "makemore_log.csv"), "w"); log.write("step,loss,lr,val_loss\n")
steps = 4000
for i in range(steps):
    ix = torch.randint(0, len(Xtr), (32,), generator=g)
    loss = loss_fn(Xtr[ix], Ytr[ix])
    for p in params: p.grad = None
    loss.backward()
    lr = 0.3 if i < 3000 else 0.03
    with torch.no_grad():
        for p in params: p -= lr * p.grad
    if i % 50 == 0 or i == steps - 1:
        vl = ""
        if i % 500 == 0 or i == steps - 1:
            with torch.no_grad(): vl = loss_fn(Xva, Yva).item()
            print(f"step {i} loss {loss.item():.4f} val_loss {vl:.4f} (entropy floor {floor_va:.4f})")
        log.write(f"{i},{loss.item():.5f},{lr},{vl}\n")
log.close()
with torch.no_grad():
    tl = loss_fn(Xtr, Ytr).item(); vl = loss_fn(Xva, Yva).item()
    # uniform chance = log(27)
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "train_loss": tl, "bayes_val_loss": floor_va, "bayes_train_loss": floor_tr, "chance_loss": float(np.log(V))}))
