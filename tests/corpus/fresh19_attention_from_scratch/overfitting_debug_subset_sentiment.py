"""Toy sentiment with a 2-layer transformer encoder written from scratch.

Reviews are bags of "words" with hidden valences, label = sign of the summed valence (8% of
labels flipped as annotation noise). While debugging, the author set SUBSET = 160 so an epoch
would be quick -- and never removed it: 400 optimisation steps now loop over 160 reviews.
--control trains on the full 3000-review training set (same model, same 400 steps).
"""
# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (160 reviews): train_loss 0.0005, train_acc 1.00, val_loss 2.57 rising from its min 0.71 at step 50, val_acc 0.59; control (3000 reviews): val_loss 0.48 (best 0.44), val_acc 0.77, train_acc 0.83
# control: --control
import argparse
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true")
args = parser.parse_args()

torch.set_num_threads(1)
torch.manual_seed(13)
g = torch.Generator().manual_seed(13)

VOCAB, LEN = 200, 20
valence = torch.randn(VOCAB, generator=g)
valence[torch.rand(VOCAB, generator=g) < 0.6] = 0.0  # most words are neutral


def reviews(n):
    x = torch.randint(1, VOCAB, (n, LEN), generator=g)
    y = (valence[x].sum(1) > 0).long()
    flip = torch.rand(n, generator=g) < 0.08
    y[flip] = 1 - y[flip]
    return x, y


X_all, y_all = reviews(3000)
X_val, y_val = reviews(600)
SUBSET = None if args.control else 160
X_train, y_train = (X_all, y_all) if SUBSET is None else (X_all[:SUBSET], y_all[:SUBSET])


class TransformerBlock(nn.Module):
    def __init__(self, d, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln1 = nn.LayerNorm(d)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(B, T, 3, self.n_heads, D // self.n_heads).permute(2, 0, 3, 1, 4)
        att = F.softmax(q @ k.transpose(-2, -1) / math.sqrt(D // self.n_heads), dim=-1)
        x = x + self.proj((att @ v).transpose(1, 2).reshape(B, T, D))
        return x + self.mlp(self.ln2(x))


class SentimentTransformer(nn.Module):
    def __init__(self, d=32, n_heads=4, depth=2):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, d)
        self.positional = nn.Parameter(torch.randn(LEN, d) * 0.02)
        self.blocks = nn.Sequential(*[TransformerBlock(d, n_heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(d)
        self.classifier = nn.Linear(d, 2)

    def forward(self, x):
        h = self.blocks(self.embedding(x) + self.positional)
        return self.classifier(self.norm(h).mean(1))


model = SentimentTransformer()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
STEPS, BS = 400, 32
val_curve = []
for step in range(1, STEPS + 1):
    model.train()
    idx = torch.randint(0, len(X_train), (BS,))
    loss = F.cross_entropy(model(X_train[idx]), y_train[idx])
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % 50 == 0:
        model.eval()
        with torch.no_grad():
            vo = model(X_val)
            vl = F.cross_entropy(vo, y_val).item()
            va = (vo.argmax(1) == y_val).float().mean().item()
            to = model(X_train)
            tl = F.cross_entropy(to, y_train).item()
            ta = (to.argmax(1) == y_train).float().mean().item()
        val_curve.append(vl)
        print(f"step {step}: train_loss={tl:.4f} train_acc={ta:.3f} val_loss={vl:.4f} val_acc={va:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(ta, 4), "best_val_loss": round(min(val_curve), 4),
                                     "n_train": len(X_train), "chance_acc": 0.5}))
