# expect:
# allow:
# forbid: *
# evidence: split_loss val 1.759 (train 1.733, test 1.788) vs uniform log(22)=3.091 and count-bigram val 2.290; initial loss 3.086 (no hockey stick); tanh |h|>0.97 on val 0.06; W1 update:data log10 -3.56 at the end (lr decayed to 0.01); minibatch loss printouts jump 1.55-2.25 (batch 32) but that is sampling noise
# native-log: makemore_mlp.log
# log-expect:
# log-allow:
"""makemore part 3 style: character-level MLP language model on a procedurally generated
"names" dataset, raw tensors (no nn.Module), Kaiming-scaled W1 ((5/3)/sqrt(fan_in)),
a hand-written batch norm layer with running statistics, small softmax init (W2*0.01, b2*0),
manual SGD with a step lr decay written as an if on the step, split_loss() at the end."""
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn.functional as F

random.seed(42); np.random.seed(42); torch.manual_seed(42)
torch.set_num_threads(1)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
logf = open(os.path.join(LOG_DIR, "makemore_mlp.log"), "w")
def log(s):
    print(s); logf.write(s + "\n"); logf.flush()

# ---------------------------------------------------------------- names dataset (syllable grammar)
def make_names(n, seed=1234):
    rng = random.Random(seed)
    back_v, front_v = ["a", "o", "u", "a", "o"], ["e", "i", "y", "e", "i"]
    onsets = ["b", "d", "g", "k", "l", "m", "n", "r", "s", "t", "v", "z", "br", "dr", "kr", "st", "sh", "th", "ch", "j"]
    codas = ["", "", "", "n", "l", "r", "s", "m"]
    endings_back = ["a", "o", "on", "us", "ar", "ora", "ulo"]
    endings_front = ["e", "i", "in", "el", "is", "ette", "ine"]
    out = []
    for _ in range(n):
        harmony = rng.random() < 0.5          # vowel harmony: back or front vowels for the whole name
        vow = back_v if harmony else front_v
        nsyl = rng.choice([1, 2, 2, 3])
        w = rng.choice(vow) if rng.random() < 0.25 else ""
        for s in range(nsyl):
            w += rng.choice(onsets) + rng.choice(vow) + (rng.choice(codas) if s < nsyl - 1 else "")
        w += rng.choice(endings_back if harmony else endings_front)
        out.append(w)
    return out

words = make_names(6000)
chars = sorted(list(set(''.join(words))))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi['.'] = 0
itos = {i: s for s, i in stoi.items()}
vocab_size = len(itos)
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
print(Xtr.shape, Xdev.shape, Xte.shape, "vocab", vocab_size)

# count-based bigram baseline (makemore part 1)
N = torch.ones(vocab_size, vocab_size)
for a, b in zip(Xtr[:, -1].tolist(), Ytr.tolist()):
    N[a, b] += 1
P = N / N.sum(1, keepdim=True)
bigram_dev = -P[Xdev[:, -1], Ydev].log().mean().item()

# ---------------------------------------------------------------- parameters
n_embd = 10
n_hidden = 200
g = torch.Generator().manual_seed(2147483647)
C = torch.randn((vocab_size, n_embd), generator=g)
W1 = torch.randn((n_embd * block_size, n_hidden), generator=g) * (5 / 3) / ((n_embd * block_size) ** 0.5)
# b1 is useless because of the batch norm that follows
W2 = torch.randn((n_hidden, vocab_size), generator=g) * 0.01
b2 = torch.randn(vocab_size, generator=g) * 0
bngain = torch.ones((1, n_hidden))
bnbias = torch.zeros((1, n_hidden))
bnmean_running = torch.zeros((1, n_hidden))
bnstd_running = torch.ones((1, n_hidden))
parameters = [C, W1, W2, b2, bngain, bnbias]
print("params", sum(p.nelement() for p in parameters))
for p in parameters:
    p.requires_grad = True

max_steps = 7000
batch_size = 32
lossi, ud = [], []
for i in range(max_steps):
    ix = torch.randint(0, Xtr.shape[0], (batch_size,), generator=g)
    Xb, Yb = Xtr[ix], Ytr[ix]
    emb = C[Xb]
    embcat = emb.view(emb.shape[0], -1)
    hpreact = embcat @ W1
    bnmeani = hpreact.mean(0, keepdim=True)
    bnstdi = hpreact.std(0, keepdim=True)
    hpreact = bngain * (hpreact - bnmeani) / bnstdi + bnbias
    with torch.no_grad():
        bnmean_running = 0.999 * bnmean_running + 0.001 * bnmeani
        bnstd_running = 0.999 * bnstd_running + 0.001 * bnstdi
    h = torch.tanh(hpreact)
    logits = h @ W2 + b2
    loss = F.cross_entropy(logits, Yb)
    for p in parameters:
        p.grad = None
    loss.backward()
    lr = 0.1 if i < 5000 else 0.01
    for p in parameters:
        p.data += -lr * p.grad
    if i % 20 == 0:
        with torch.no_grad():
            ud.append([((lr * p.grad).std() / p.data.std()).log10().item() for p in parameters])
    if i % 500 == 0:
        log(f'{i:7d}/{max_steps:7d}: {loss.item():.4f}')
    if i == 0:
        init_loss = loss.item()
        sat0 = (h.abs() > 0.97).float().mean().item()
    lossi.append(loss.log10().item())

print(f"initial loss {init_loss:.3f} (uniform would be {np.log(vocab_size):.3f}), tanh saturation at init {sat0:.3f}")
print("update:data ratio (log10) over the last 500 steps, W1:", round(float(np.mean([u[1] for u in ud[-25:]])), 2))

@torch.no_grad()
def split_loss(split):
    x, y = {'train': (Xtr, Ytr), 'val': (Xdev, Ydev), 'test': (Xte, Yte)}[split]
    emb = C[x]
    embcat = emb.view(emb.shape[0], -1)
    hpreact = embcat @ W1
    hpreact = bngain * (hpreact - bnmean_running) / bnstd_running + bnbias
    h = torch.tanh(hpreact)
    logits = h @ W2 + b2
    loss = F.cross_entropy(logits, y)
    acc = (logits.argmax(1) == y).float().mean().item()
    return loss.item(), acc, (h.abs() > 0.97).float().mean().item()

res = {}
for split in ['train', 'val', 'test']:
    l, a, s = split_loss(split)
    log(f"{split} {l:.4f}")
    res[split] = (l, a, s)
print("tanh saturation on val", round(res['val'][2], 3))

# sample a few names
g2 = torch.Generator().manual_seed(2147483647 + 10)
samples = []
with torch.no_grad():
    for _ in range(8):
        out, context = [], [0] * block_size
        while True:
            emb = C[torch.tensor([context])]
            hp = emb.view(1, -1) @ W1
            hp = bngain * (hp - bnmean_running) / bnstd_running + bnbias
            probs = F.softmax(torch.tanh(hp) @ W2 + b2, dim=1)
            ix = torch.multinomial(probs, num_samples=1, generator=g2).item()
            context = context[1:] + [ix]
            if ix == 0 or len(out) > 20:
                break
            out.append(itos[ix])
        samples.append(''.join(out))
print("samples:", samples)
logf.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(res['val'][0], 4), "train_loss": round(res['train'][0], 4),
      "test_loss": round(res['test'][0], 4), "val_acc": round(res['val'][1], 4), "uniform_loss": round(float(np.log(vocab_size)), 4),
      "bigram_val_loss": round(bigram_dev, 4), "chance_acc": round(1 / vocab_size, 4)}))
