# expect: learning_rate_too_low
# allow: non_convergence
# forbid: *
# evidence: planted (decay every 400 steps): lr 1e-4 by step 1200 and 1e-15 at the end, W1 update:data log10 -15.9 over the last 1000 steps (-2.9 at the start); mean minibatch loss 2.036 at steps 1000-2000 and 2.026 in the last 1000 (stuck); val loss 2.040. control (decay every 4000): update:data -3.5, val loss 1.754 (train 1.711); uniform 3.091
# control: --control
# native-log: makemore_lr.log
# log-expect: learning_rate_too_low
# log-allow: non_convergence
"""makemore style character MLP (raw tensors C, W1, b1, W2, b2; Kaiming-scaled tanh layer, small
softmax init) trained with a hand-written step decay `lr = 0.1 * 0.1 ** (i // decay_every)`.
The planted bug: decay_every = 400 (a zero went missing from 4000), so after ~1.5k steps the
learning rate is below 1e-4 and keeps shrinking tenfold every 400 steps; the update:data ratio
(the lecture's log10 ~ -3 rule of thumb) falls to ~ -8 and learning stops far from where it could
be. --control uses decay_every = 4000."""
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn.functional as F

CONTROL = "--control" in sys.argv
random.seed(1); np.random.seed(1); torch.manual_seed(1)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
logf = open(os.path.join(LOG_DIR, "makemore_lr.log"), "w")

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

words = make_names(6000, seed=99)
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

n_embd, n_hidden = 10, 200
g = torch.Generator().manual_seed(2147483647)
C = torch.randn((vocab_size, n_embd), generator=g)
W1 = torch.randn((n_embd * block_size, n_hidden), generator=g) * (5 / 3) / ((n_embd * block_size) ** 0.5)
b1 = torch.randn(n_hidden, generator=g) * 0.01
W2 = torch.randn((n_hidden, vocab_size), generator=g) * 0.01
b2 = torch.randn(vocab_size, generator=g) * 0
parameters = [C, W1, b1, W2, b2]
for p in parameters:
    p.requires_grad = True

max_steps, batch_size = 6000, 32
decay_every = 4000 if CONTROL else 400
lossi, ud = [], []
for i in range(max_steps):
    ix = torch.randint(0, Xtr.shape[0], (batch_size,), generator=g)
    Xb, Yb = Xtr[ix], Ytr[ix]
    emb = C[Xb]
    embcat = emb.view(emb.shape[0], -1)
    hpreact = embcat @ W1 + b1
    h = torch.tanh(hpreact)
    logits = h @ W2 + b2
    loss = F.cross_entropy(logits, Yb)
    for p in parameters:
        p.grad = None
    loss.backward()
    lr = 0.1 * 0.1 ** (i // decay_every)
    for p in parameters:
        p.data += -lr * p.grad
    lossi.append(loss.item())
    if i % 25 == 0:
        with torch.no_grad():
            ud.append(((lr * W1.grad).std() / W1.data.std()).log10().item())
    if i % 250 == 0:
        line = f'{i:7d}/{max_steps:7d}: {loss.item():.4f} lr {lr:.3e}'
        print(line); logf.write(line + "\n")

@torch.no_grad()
def split_loss(split):
    x, y = {'train': (Xtr, Ytr), 'val': (Xdev, Ydev), 'test': (Xte, Yte)}[split]
    emb = C[x]
    h = torch.tanh(emb.view(emb.shape[0], -1) @ W1 + b1)
    logits = h @ W2 + b2
    loss = F.cross_entropy(logits, y)
    line = f"{split} {loss.item():.4f}"
    print(line); logf.write(line + "\n")
    return loss.item(), (logits.argmax(1) == y).float().mean().item()

tr = split_loss('train'); va = split_loss('val'); split_loss('test')
logf.close()
print(f"update:data ratio log10 (W1): steps 0-400 {np.mean(ud[:16]):.2f}, last 1000 steps {np.mean(ud[-40:]):.2f}")
print(f"mean minibatch loss steps 1000-2000 {np.mean(lossi[1000:2000]):.4f}, last 1000 steps {np.mean(lossi[-1000:]):.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(va[0], 4), "train_loss": round(tr[0], 4), "val_acc": round(va[1], 4),
      "uniform_loss": round(float(np.log(vocab_size)), 4), "chance_acc": round(1 / vocab_size, 4), "final_lr": lr}))
