# expect: non_finite
# allow: non_convergence, exploding_gradients
# forbid: *
# evidence: control (finite fill value) val loss 0.919 (uniform 3.53), 0/200 non-finite steps; planted (-inf fill, left padding) loss and grad norm NaN from step 0, 200/200 non-finite steps, val loss NaN
# control: --control
"""Small decoder LM over word-level 'recipe steps', batched with LEFT padding (so that generation
can append on the right). The attention combines a causal mask and a key-padding mask and fills
masked scores with -inf; query rows that sit on padding then have every key masked.
--control fills with the dtype's most negative finite value instead of -inf."""
import argparse
import json
import math
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true")
parser.add_argument("--steps", type=int, default=200)
opts = parser.parse_args()

torch.set_num_threads(1)
torch.manual_seed(17)
random.seed(17)

VERBS = ["chop", "stir", "boil", "fry", "mix", "bake", "peel", "slice"]
THINGS = ["the onions", "two eggs", "the rice", "some garlic", "the dough", "a carrot", "the beans"]
TAILS = ["for five minutes", "gently", "until golden", "in a bowl", "with butter", "and serve"]


def step_text():
    words = [random.choice(VERBS)] + random.choice(THINGS).split()
    if random.random() < 0.7:
        words += random.choice(TAILS).split()
    return words + ["."]


vocab = ["<pad>", "<bos>"] + sorted({w for p in VERBS + THINGS + TAILS for w in p.split()} | {"."})
w2i = {w: i for i, w in enumerate(vocab)}
PAD, BOS = 0, 1
MAXLEN = 10


def left_padded(n):
    X = torch.full((n, MAXLEN), PAD)
    for i in range(n):
        ids = [BOS] + [w2i[w] for w in step_text()]
        X[i, MAXLEN - len(ids):] = torch.tensor(ids)
    return X


train_X, val_X = left_padded(3000), left_padded(400)


class Attn(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)

    def forward(self, x, keep):                      # keep: (B, T) True for real tokens
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, D // self.h).unbind(2)
        q, k, v = (t.transpose(1, 2) for t in (q, k, v))
        s = q @ k.transpose(-1, -2) / math.sqrt(D // self.h)
        causal = torch.ones(T, T, dtype=torch.bool).tril()
        allowed = causal[None, None] & keep[:, None, None, :]
        fill = torch.finfo(s.dtype).min if opts.control else float("-inf")
        s = s.masked_fill(~allowed, fill)
        y = F.softmax(s, dim=-1) @ v
        return self.out(y.transpose(1, 2).reshape(B, T, D))


class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = Attn(d, h)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, keep):
        x = x + self.attn(self.ln1(x), keep)
        return x + self.ff(self.ln2(x))


class RecipeLM(nn.Module):
    def __init__(self, V, d=64, h=4, n=2):
        super().__init__()
        self.tok = nn.Embedding(V, d)
        self.pos = nn.Embedding(MAXLEN, d)
        self.blocks = nn.ModuleList(Block(d, h) for _ in range(n))
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, V)

    def forward(self, ids, targets=None):
        keep = ids != PAD
        # positions count from the first real token so left padding does not shift them
        pos = (keep.long().cumsum(1) - 1).clamp(min=0)
        x = self.tok(ids) + self.pos(pos)
        for b in self.blocks:
            x = b(x, keep)
        logits = self.head(self.ln(x))
        if targets is None:
            return logits, None
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), targets.reshape(-1), ignore_index=PAD)
        return logits, loss


model = RecipeLM(len(vocab))
optim = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
non_finite_steps = 0
for step in range(opts.steps):
    xb = train_X[torch.randint(0, len(train_X), (32,))]
    _, loss = model(xb[:, :-1], xb[:, 1:])
    if not torch.isfinite(loss):
        non_finite_steps += 1
    optim.zero_grad()
    loss.backward()
    gn = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optim.step()
    if step % 40 == 0:
        print(f"step {step:3d} loss {loss.item():.4f} grad_norm {gn.item():.3f}")

model.eval()
with torch.no_grad():
    _, vl = model(val_X[:, :-1], val_X[:, 1:])
    _, tl = model(train_X[:400, :-1], train_X[:400, 1:])
vl, tl = vl.item(), tl.item()
print(f"val loss {vl:.4f}  train loss {tl:.4f}  non-finite training steps {non_finite_steps}/{opts.steps}")
finite = math.isfinite(vl)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4) if finite else None,
                                     "train_loss": round(tl, 4) if math.isfinite(tl) else None,
                                     "val_loss_is_finite": finite, "non_finite_steps": non_finite_steps,
                                     "uniform_loss": round(math.log(len(vocab)), 4)}))
