# Sentence-level causal LM with left padding (so generation can start right after the prompt).
# The attention mask = causal AND key-not-pad, filled with -inf. For a left-padded row the
# first query positions are padding and can only see earlier keys, which are all padding:
# the whole softmax row is -inf -> NaN, and NaN leaks into every position in the next layer.
# --control lets every position attend to itself (the usual fix), nothing else changes.
#
# expect: non_finite
# allow: exploding_gradients, non_convergence
# forbid: *
# evidence: planted: loss nan from step 0 (it 0 loss nan), val_loss nan, val token acc 0.0; control (diagonal kept): val loss 0.247, token acc 0.884 (unigram 3.06)
# control: --control
import argparse
import json
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--control", action="store_true")
p.add_argument("--steps", type=int, default=220)
args = p.parse_args()

torch.set_num_threads(1)
torch.manual_seed(1)
random.seed(1)

WORDS = {
    "N": ["fox", "hen", "owl", "bee", "ant", "yak", "emu"],
    "V": ["ran", "sat", "hid", "ate", "dug"],
    "P": ["in", "on", "by", "under"],
    "D": ["the box", "a log", "the hay", "a pot"],
}


def make_sentence():
    s = f"the {random.choice(WORDS['N'])} {random.choice(WORDS['V'])}"
    if random.random() < 0.6:
        s += f" {random.choice(WORDS['P'])} {random.choice(WORDS['D'])}"
    return s + "."


corpus = [make_sentence() for _ in range(3000)]
alphabet = sorted(set("".join(corpus)))
PAD, BOS = 0, 1
itos = ["<pad>", "<bos>"] + alphabet
stoi = {c: i for i, c in enumerate(itos)}
V = len(itos)


def encode(s):
    return [BOS] + [stoi[c] for c in s]


enc = [encode(s) for s in corpus]
train_set, val_set = enc[:2600], enc[2600:]
MAXLEN = max(len(e) for e in enc)


def collate(rows):
    L = max(len(r) for r in rows)
    x = torch.full((len(rows), L), PAD)
    for i, r in enumerate(rows):
        x[i, L - len(r):] = torch.tensor(r)  # left padding
    return x


class MHA(nn.Module):
    def __init__(self, d, n_heads):
        super().__init__()
        self.n = n_heads
        self.Wq = nn.Parameter(torch.randn(n_heads, d, d // n_heads) * d ** -0.5)
        self.Wk = nn.Parameter(torch.randn(n_heads, d, d // n_heads) * d ** -0.5)
        self.Wv = nn.Parameter(torch.randn(n_heads, d, d // n_heads) * d ** -0.5)
        self.Wo = nn.Parameter(torch.randn(n_heads, d // n_heads, d) * d ** -0.5)

    def forward(self, x, allowed):
        q = torch.einsum("btd,hdk->bhtk", x, self.Wq)
        k = torch.einsum("btd,hdk->bhtk", x, self.Wk)
        v = torch.einsum("btd,hdk->bhtk", x, self.Wv)
        scores = torch.einsum("bhqk,bhsk->bhqs", q, k) / q.shape[-1] ** 0.5
        scores = scores.masked_fill(~allowed[:, None], float("-inf"))
        a = scores.softmax(dim=-1)
        out = torch.einsum("bhqs,bhsk->bhqk", a, v)
        return torch.einsum("bhtk,hkd->btd", out, self.Wo)


class Layer(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.att = MHA(d, h)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Linear(2 * d, d))

    def forward(self, x, allowed):
        x = x + self.att(self.n1(x), allowed)
        return x + self.ff(self.n2(x))


class SentenceLM(nn.Module):
    def __init__(self, V, d=48, h=4, L=2):
        super().__init__()
        self.emb = nn.Embedding(V, d)
        self.pos = nn.Embedding(MAXLEN, d)
        self.layers = nn.ModuleList(Layer(d, h) for _ in range(L))
        self.norm = nn.LayerNorm(d)
        self.out = nn.Linear(d, V)

    def forward(self, x):
        B, T = x.shape
        causal = torch.tril(torch.ones(T, T, dtype=torch.bool))
        not_pad = (x != PAD)
        allowed = causal[None] & not_pad[:, None, :]
        if args.control:
            allowed = allowed | torch.eye(T, dtype=torch.bool)[None]
        h = self.emb(x) + self.pos(torch.arange(T))[None]
        for layer in self.layers:
            h = layer(h, allowed)
        return self.out(self.norm(h))


def lm_loss(model, x):
    logits = model(x[:, :-1])
    tgt = x[:, 1:]
    return F.cross_entropy(logits.reshape(-1, V), tgt.reshape(-1), ignore_index=PAD), logits, tgt


model = SentenceLM(V)
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
bs = 32
for step in range(args.steps):
    rows = random.sample(train_set, bs)
    x = collate(rows)
    loss, _, _ = lm_loss(model, x)
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    if step % 20 == 0:
        print(f"it {step} loss {loss.item():.4f}")

model.eval()
with torch.no_grad():
    x = collate(val_set)
    vloss, logits, tgt = lm_loss(model, x)
    m = tgt != PAD
    vacc = ((logits.argmax(-1) == tgt) & m).sum().item() / m.sum().item()
    xt = collate(train_set[:400])
    tloss, _, _ = lm_loss(model, xt)
    flat = torch.tensor([t for r in train_set for t in r[1:]])
    pu = torch.bincount(flat, minlength=V).float() + 1
    pu = pu / pu.sum()
    uni = -pu[tgt[m]].log().mean().item()


def r(v):
    return None if v != v else round(v, 4)


print("CORPUS_METRIC " + json.dumps({"val_loss": r(vloss.item()), "val_acc": r(vacc), "train_loss": r(tloss.item()),
                                     "unigram_val_loss": r(uni)}))
