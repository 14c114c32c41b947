# expect: saturated_activations
# allow: poor_initialization, vanishing_gradients
# forbid: *
# evidence: planted (W1, W2 = randn, no 1/sqrt(fan_in)): hpreact std 5.5 / 10.5 at init, |h|>0.99 on val 0.63 (layer 1) and 0.82 (layer 2) at the END; val loss 1.867 (train 1.784). control (Kaiming (5/3)/sqrt(fan_in)): |h|>0.99 0.15 / 0.12, val loss 1.751 (train 1.702); uniform 3.091
# control: --control
"""makemore part 3 style, before the "fixing the saturated tanh" fix: a two-hidden-layer character
MLP written with raw tensors, W1/W2 drawn with torch.randn and no 1/sqrt(fan_in) scaling, so
hpreact has a std of several units and most tanh outputs sit at +-1 (the famous white-pixel
plot of h.abs() > 0.99). Output layer uses the small-softmax fix (W3*0.01, b3*0), so the only
planted cause is the unscaled hidden weights. --control applies Kaiming scaling (5/3)/sqrt(fan_in)."""
import sys, json, random
import numpy as np
import torch
import torch.nn.functional as F

CONTROL = "--control" in sys.argv
random.seed(0); np.random.seed(0); torch.manual_seed(0)
torch.set_num_threads(1)

def make_names(n, seed=1234):
    rng = random.Random(seed)
    back_v, front_v = ["a", "o", "u", "a", "o"], ["e", "i", "y", "e", "i"]
    onsets = ["b", "d", "g", "k", "l", "m", "n", "r", "s", "t", "v", "z", "br", "dr", "kr", "st", "sh", "th", "ch", "j"]
    codas = ["", "", "", "n", "l", "r", "s", "m"]
    endings_back = ["a", "o", "on", "us", "ar", "ora", "ulo"]
    endings_front = ["e", "i", "in", "el", "is", "ette", "ine"]
    out = []
    for _ in range(n):
        harmony = rng.random() < 0.5
        vow = back_v if harmony else front_v
        nsyl = rng.choice([1, 2, 2, 3])
        w = rng.choice(vow) if rng.random() < 0.25 else ""
        for s in range(nsyl):
            w += rng.choice(onsets) + rng.choice(vow) + (rng.choice(codas) if s < nsyl - 1 else "")
        w += rng.choice(endings_back if harmony else endings_front)
        out.append(w)
    return out

words = make_names(6000, seed=777)
chars = sorted(list(set(''.join(words))))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi['.'] = 0
vocab_size = len(stoi)
block_size = 3

def build_dataset(words):
    X, Y = [], []
    for w in words:
        context = [0] * block_size
        for ch in w + '.':
            ix = stoi[ch]
            X.append(context); Y.append(ix)
            context = context[1:] + [ix]
    return torch.tensor(X), torch.tensor(Y)

random.shuffle(words)
n1 = int(0.8 * len(words)); n2 = int(0.9 * len(words))
Xtr, Ytr = build_dataset(words[:n1])
Xdev, Ydev = build_dataset(words[n1:n2])
Xte, Yte = build_dataset(words[n2:])

n_embd, n_hidden = 10, 128
g = torch.Generator().manual_seed(2147483647)
C = torch.randn((vocab_size, n_embd), generator=g)
W1 = torch.randn((n_embd * block_size, n_hidden), generator=g)
b1 = torch.randn(n_hidden, generator=g) * 0.01
W2 = torch.randn((n_hidden, n_hidden), generator=g)
b2 = torch.randn(n_hidden, generator=g) * 0.01
W3 = torch.randn((n_hidden, vocab_size), generator=g) * 0.01
b3 = torch.randn(vocab_size, generator=g) * 0
if CONTROL:   # Kaiming init for tanh: gain 5/3, divide by sqrt(fan_in)
    W1 = W1 * (5 / 3) / ((n_embd * block_size) ** 0.5)
    W2 = W2 * (5 / 3) / (n_hidden ** 0.5)
parameters = [C, W1, b1, W2, b2, W3, b3]
for p in parameters:
    p.requires_grad = True

def forward(X):
    emb = C[X]
    embcat = emb.view(emb.shape[0], -1)
    hpreact1 = embcat @ W1 + b1
    h1 = torch.tanh(hpreact1)
    hpreact2 = h1 @ W2 + b2
    h2 = torch.tanh(hpreact2)
    return h2 @ W3 + b3, (hpreact1, h1, hpreact2, h2)

max_steps, batch_size = 5000, 32
for i in range(max_steps):
    ix = torch.randint(0, Xtr.shape[0], (batch_size,), generator=g)
    Xb, Yb = Xtr[ix], Ytr[ix]
    logits, (hp1, h1, hp2, h2) = forward(Xb)
    loss = F.cross_entropy(logits, Yb)
    for p in parameters:
        p.grad = None
    loss.backward()
    lr = 0.1 if i < 3750 else 0.01
    for p in parameters:
        p.data += -lr * p.grad
    if i % 500 == 0:
        print(f'{i:7d}/{max_steps:7d}: {loss.item():.4f}')
    if i == 0:
        print(f"init: hpreact1 std {hp1.std().item():.2f}, hpreact2 std {hp2.std().item():.2f}, "
              f"|h1|>0.99 {(h1.abs() > 0.99).float().mean().item():.2f}, |h2|>0.99 {(h2.abs() > 0.99).float().mean().item():.2f}")

@torch.no_grad()
def split_loss(split):
    x, y = {'train': (Xtr, Ytr), 'val': (Xdev, Ydev), 'test': (Xte, Yte)}[split]
    logits, (hp1, h1, hp2, h2) = forward(x)
    loss = F.cross_entropy(logits, y)
    print(split, round(loss.item(), 4))
    return loss.item(), (logits.argmax(1) == y).float().mean().item(), h1, h2

tr = split_loss('train')
va = split_loss('val')
split_loss('test')
h1, h2 = va[2], va[3]
sat1 = (h1.abs() > 0.99).float().mean().item(); sat2 = (h2.abs() > 0.99).float().mean().item()
dead2 = ((h2.abs() > 0.99).float().mean(0) > 0.99).float().mean().item()
print(f"end (val): |h1|>0.99 {sat1:.3f}, |h2|>0.99 {sat2:.3f}, layer-2 units saturated on >99% of inputs {dead2:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(va[0], 4), "train_loss": round(tr[0], 4), "val_acc": round(va[1], 4),
      "uniform_loss": round(float(np.log(vocab_size)), 4), "chance_acc": round(1 / vocab_size, 4),
      "sat_frac_h1": round(sat1, 3), "sat_frac_h2": round(sat2, 3)}))
