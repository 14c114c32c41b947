# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: control (3000 sentences) val_loss 0.71 = train 0.70; planted (60 sentences, 714 tokens) train_loss 0.24 while val_loss bottoms at 0.91 (step 100) and climbs to 1.72 by step 600
# control: --control
"""A 2-layer causal transformer word LM (pre-norm nn.TransformerEncoderLayer, 64-d) trained for
a fixed 600 steps on a *tiny* corpus -- 60 sentences of a toy story grammar, ~700 tokens -- with
no dropout and no early stopping. It memorises the 60 training sentences (train loss -> ~0) while
held-out loss on fresh sentences of the same grammar bottoms out early and then climbs.
--control trains the identical model/schedule on 3000 sentences of the same grammar.
The script logs train and val loss every 50 steps.
"""
import argparse
import json
import math
import random

import torch
from torch import nn
from torch.nn import functional as F

p = argparse.ArgumentParser()
p.add_argument("--control", action="store_true")
args = p.parse_args()

torch.set_num_threads(1)
torch.manual_seed(8)
random.seed(8)

WHO = ["the fox", "a young bear", "the old owl", "two rabbits", "the shy deer", "a crow"]
DID = ["found", "lost", "carried", "hid", "shared", "ate"]
WHAT = ["a shiny stone", "the last apple", "some honey", "a long stick", "the map"]
WHERE = ["under the bridge", "near the lake", "in the forest", "behind the barn"]
WHEN = ["at dawn", "after the rain", "one night", ""]


def sent():
    s = f"{random.choice(WHO)} {random.choice(DID)} {random.choice(WHAT)} {random.choice(WHERE)} {random.choice(WHEN)}"
    return s.split() + ["."]


n_train = 3000 if args.control else 60
train_w = [w for _ in range(n_train) for w in sent()]
val_w = [w for _ in range(400) for w in sent()]
vocab = sorted({w for s in [WHO, DID, WHAT, WHERE, WHEN] for x in s for w in x.split()} | {"."})
stoi = {w: i for i, w in enumerate(vocab)}
V = len(vocab)
tr = torch.tensor([stoi[w] for w in train_w])
va = torch.tensor([stoi[w] for w in val_w])
T, B, D = 16, 32, 64


def batch(ids, g=None):
    ix = torch.randint(len(ids) - T - 1, (B,), generator=g)
    return torch.stack([ids[i:i + T] for i in ix]), torch.stack([ids[i + 1:i + T + 1] for i in ix])


class LM(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, D)
        self.pos = nn.Embedding(T, D)
        layer = nn.TransformerEncoderLayer(D, 4, 256, dropout=0.0, batch_first=True, norm_first=True)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.ln = nn.LayerNorm(D)
        self.out = nn.Linear(D, V)
        self.register_buffer("mask", nn.Transformer.generate_square_subsequent_mask(T))

    def forward(self, x):
        h = self.emb(x) + self.pos(torch.arange(x.size(1)))
        return self.out(self.ln(self.enc(h, mask=self.mask, is_causal=True)))


model = LM()
opt = torch.optim.Adam(model.parameters(), lr=2e-3)


@torch.no_grad()
def est(ids, n=10):
    model.eval()
    g = torch.Generator().manual_seed(0)
    ls = [F.cross_entropy(model(x).reshape(-1, V), y.reshape(-1)).item() for x, y in (batch(ids, g) for _ in range(n))]
    model.train()
    return sum(ls) / n


best_val = float("inf")
for step in range(601):
    if step % 50 == 0:
        tl, vl = est(tr), est(va)
        best_val = min(best_val, vl)
        print(f"step {step}: train loss {tl:.4f}, val loss {vl:.4f}")
    x, y = batch(tr)
    loss = F.cross_entropy(model(x).reshape(-1, V), y.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()

tl, vl = est(tr, 20), est(va, 20)
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(vl, 4), "train_loss": round(tl, 4), "best_val_loss_seen": round(best_val, 4),
    "train_tokens": len(tr), "uniform_loss": round(math.log(V), 4)}))
