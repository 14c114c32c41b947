#!/usr/bin/env python
# Post-LN transformer encoder ("Attention is all you need" layout) classifying synthetic token
# sequences: label = which of four marker tokens occurs most often. Student copied lr=3e-2 from
# an MLP notebook and dropped the warm-up. --control: lr=5e-4 (still no warm-up).
#
# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, high_bias
# forbid: *
# evidence: planted (lr=3e-2, post-LN, no warm-up): val_acc 0.298, val_loss 1.367, train_acc 0.316 (majority 0.314, stuck at chance); control (lr=5e-4): val_acc 0.954, val_loss 0.162
# control: --control
import argparse
import json
import math

import torch
from torch import nn

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
opt_ = ap.parse_args()
LR = 5e-4 if opt_.control else 3e-2

torch.set_num_threads(1)
g = torch.Generator().manual_seed(7)
torch.manual_seed(7)

VOCAB, SEQ, NCLS = 16, 20, 4
MARKERS = torch.tensor([1, 2, 3, 4])


def make(n):
    x = torch.randint(5, VOCAB, (n, SEQ), generator=g)
    # sprinkle markers with random multiplicities
    for i in range(n):
        counts = torch.randint(0, 5, (4,), generator=g)
        counts[torch.randint(0, 4, (1,), generator=g)] += 2
        toks = torch.repeat_interleave(MARKERS, counts)
        pos = torch.randperm(SEQ, generator=g)[: len(toks)]
        x[i, pos] = toks[: len(pos)]
    c = torch.stack([(x == m).sum(1) for m in MARKERS], 1).float()
    c = c + 1e-3 * torch.arange(4)  # deterministic tie-break
    return x, c.argmax(1)


Xtr, ytr = make(1600)
Xva, yva = make(500)


class PostLNLayer(nn.Module):
    def __init__(self, d, h, p=0.1):
        super().__init__()
        self.h = h
        self.in_proj = nn.Linear(d, 3 * d)
        self.out_proj = nn.Linear(d, d)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.ReLU(), nn.Linear(4 * d, d))
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.drop = nn.Dropout(p)

    def attn(self, x):
        B, T, D = x.shape
        q, k, v = self.in_proj(x).chunk(3, -1)
        split = lambda t: t.reshape(B, T, self.h, D // self.h).permute(0, 2, 1, 3)
        q, k, v = map(split, (q, k, v))
        w = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(D // self.h), -1)
        return self.out_proj((w @ v).permute(0, 2, 1, 3).reshape(B, T, D))

    def forward(self, x):
        x = self.ln1(x + self.drop(self.attn(x)))
        return self.ln2(x + self.drop(self.ff(x)))


class Encoder(nn.Module):
    def __init__(self, d=48, h=4, n_layers=3):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, d)
        self.pos = nn.Parameter(torch.zeros(1, SEQ, d))
        nn.init.normal_(self.pos, std=0.02)
        self.layers = nn.Sequential(*[PostLNLayer(d, h) for _ in range(n_layers)])
        self.cls = nn.Linear(d, NCLS)

    def forward(self, x):
        z = self.layers(self.embed(x) * math.sqrt(self.embed.embedding_dim) + self.pos)
        return self.cls(z.mean(1))


net = Encoder()
optim = torch.optim.Adam(net.parameters(), lr=LR)
crit = nn.CrossEntropyLoss()

for epoch in range(6):
    net.train()
    perm = torch.randperm(len(Xtr))
    tot = 0.0
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]
        loss = crit(net(Xtr[idx]), ytr[idx])
        optim.zero_grad()
        loss.backward()
        optim.step()
        tot += loss.item() * len(idx)
    net.eval()
    with torch.no_grad():
        lo = net(Xva)
        vl = crit(lo, yva).item()
        va = (lo.argmax(1) == yva).float().mean().item()
    print(f"epoch {epoch+1:2d}  train_loss {tot/len(Xtr):.4f}  val_loss {vl:.4f}  val_acc {va:.4f}")

with torch.no_grad():
    ta = (net(Xtr).argmax(1) == ytr).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                     "train_loss": round(tot / len(Xtr), 4), "train_acc": round(ta, 4),
                                     "chance_acc": round(torch.bincount(yva).max().item() / len(yva), 4)}))
