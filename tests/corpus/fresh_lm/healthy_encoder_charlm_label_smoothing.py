# expect:
# forbid: *
# evidence: val_loss 0.395 nats/char (0.57 bpc) vs unigram 2.46; printed train loss is label-smoothed (0.91) so it sits above val by design; plain train CE 0.406
# Character-level LM: nn.TransformerEncoder (pre-LN, dropout 0.1) with a causal mask, trained on
# text drawn from a word-level Markov chain over a small lexicon. Label smoothing 0.1, gradient
# accumulation over 2 micro-batches, Adam with linear warm-up then constant lr.
import json
import math
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(1)
rng = random.Random(1)

LEX = ["alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "zeta",
       "lambda", "theta", "rho", "tau", "phi", "psi", "chi", "eta"]
# sparse random word-transition table: each word is followed by one of 3 words
NEXT = {w: rng.sample(LEX, 3) for w in LEX}


def make_text(n_chars):
    w = rng.choice(LEX)
    out = []
    while sum(len(x) + 1 for x in out) < n_chars:
        out.append(w)
        w = rng.choice(NEXT[w])
    return " ".join(out)[:n_chars]


train_text = make_text(40_000)
val_text = make_text(6_000)
chars = sorted(set(train_text + val_text))
stoi = {c: i for i, c in enumerate(chars)}
V = len(chars)
enc = lambda s: torch.tensor([stoi[c] for c in s])
train_ids, val_ids = enc(train_text), enc(val_text)
T = 32


def batch(ids, bs, gen=None):
    ix = torch.randint(len(ids) - T - 1, (bs,), generator=gen)
    return (torch.stack([ids[i:i + T] for i in ix]), torch.stack([ids[i + 1:i + T + 1] for i in ix]))


class CharLM(nn.Module):
    def __init__(self, d=64, layers=2, heads=4):
        super().__init__()
        self.tok = nn.Embedding(V, d)
        self.pos = nn.Parameter(torch.zeros(1, T, d))
        layer = nn.TransformerEncoderLayer(d, heads, 4 * d, dropout=0.1, batch_first=True, norm_first=True)
        self.enc = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, V)
        self.register_buffer("mask", nn.Transformer.generate_square_subsequent_mask(T))

    def forward(self, x):
        h = self.tok(x) + self.pos[:, :x.size(1)]
        h = self.enc(h, mask=self.mask[:x.size(1), :x.size(1)], is_causal=True)
        return self.head(self.ln(h))


model = CharLM()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 40))
STEPS, ACCUM, EVAL_EVERY = 200, 2, 40


@torch.no_grad()
def eval_loss(ids):
    model.eval()
    g = torch.Generator().manual_seed(7)
    tot = 0.0
    for _ in range(4):
        x, y = batch(ids, 64, g)
        tot += F.cross_entropy(model(x).reshape(-1, V), y.reshape(-1)).item()
    model.train()
    return tot / 4


for step in range(1, STEPS + 1):
    opt.zero_grad()
    tl = 0.0
    for _ in range(ACCUM):
        x, y = batch(train_ids, 16)
        loss = F.cross_entropy(model(x).reshape(-1, V), y.reshape(-1), label_smoothing=0.1) / ACCUM
        loss.backward()
        tl += loss.item()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    sched.step()
    if step % EVAL_EVERY == 0:
        print(f"step {step}: train loss {tl:.4f}, val loss {eval_loss(val_ids):.4f}")

cnt = torch.bincount(train_ids, minlength=V).float() + 1
unigram = -(cnt / cnt.sum()).log()[val_ids].mean().item()
va, tr = eval_loss(val_ids), eval_loss(train_ids)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(va, 4), "train_loss": round(tr, 4),
                                     "val_bpc": round(va / math.log(2), 3),
                                     "unigram_val_loss": round(unigram, 4)}))
