# expect: non_convergence
# allow: high_bias
# forbid: *
# evidence: control (one DataLoader over TensorDataset) val_acc 1.00, val_loss 0.0002; planted (zip of two shuffled loaders) plateaus at val_loss 1.15, val_acc 0.43 (only positional tag priors; majority-tag acc 0.30), train loss equally stuck at 1.15
# control: --control
"""Bidirectional-GRU part-of-speech tagger on a synthetic grammar with ambiguous words (e.g.
'run', 'watch' are nouns after a determiner and verbs after a subject). The bug: token ids and
tag ids were stored as two separate tensors and loaded with two DataLoaders, each with
shuffle=True, then zip()-ed -- so every sentence is paired with the tags of a different random
sentence of the same padded length. Nothing input-dependent can be learned; the loss stays at
the entropy of the tag marginals. --control uses one DataLoader over TensorDataset(tokens, tags).
"""
import argparse
import json
import random

import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset

p = argparse.ArgumentParser()
p.add_argument("--control", action="store_true")
args = p.parse_args()

torch.set_num_threads(1)
torch.manual_seed(6)
random.seed(6)

LEX = {"DET": ["the", "a", "my", "some"], "ADJ": ["big", "blue", "late", "cold"],
       "NOUN": ["dog", "plan", "river", "idea", "city"], "VERB": ["sees", "makes", "likes", "wants"],
       "AMB": ["run", "watch", "play", "light", "fly"], "PREP": ["near", "with", "after"],
       "PRON": ["she", "they", "we"]}
TAGS = ["PAD", "DET", "ADJ", "NOUN", "VERB", "PREP", "PRON"]
words = ["<pad>"] + sorted({w for ws in LEX.values() for w in ws})
wid = {w: i for i, w in enumerate(words)}
MAXLEN = 14


def np_():
    out = [("DET", random.choice(LEX["DET"]))]
    if random.random() < 0.4:
        out.append(("ADJ", random.choice(LEX["ADJ"])))
    src = "AMB" if random.random() < 0.5 else "NOUN"
    out.append(("NOUN", random.choice(LEX[src])))
    return out


def sentence():
    subj = [("PRON", random.choice(LEX["PRON"]))] if random.random() < 0.4 else np_()
    src = "AMB" if random.random() < 0.5 else "VERB"
    s = subj + [("VERB", random.choice(LEX[src]))] + np_()
    if random.random() < 0.4:
        s += [("PREP", random.choice(LEX["PREP"]))] + np_()
    return s[:MAXLEN]


def make(n):
    X = torch.zeros(n, MAXLEN, dtype=torch.long)
    Y = torch.zeros(n, MAXLEN, dtype=torch.long)
    for i in range(n):
        for j, (t, w) in enumerate(sentence()):
            X[i, j], Y[i, j] = wid[w], TAGS.index(t)
    return X, Y


Xtr, Ytr = make(3000)
Xva, Yva = make(600)


class BiGRUTagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(len(words), 32, padding_idx=0)
        self.gru = nn.GRU(32, 48, batch_first=True, bidirectional=True)
        self.out = nn.Linear(96, len(TAGS))

    def forward(self, x):
        return self.out(self.gru(self.emb(x))[0])


model = BiGRUTagger()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)

if args.control:
    loader = lambda: DataLoader(TensorDataset(Xtr, Ytr), batch_size=32, shuffle=True)
else:
    loader = lambda: zip(DataLoader(Xtr, batch_size=32, shuffle=True),
                         DataLoader(Ytr, batch_size=32, shuffle=True))


def evaluate(X, Y):
    with torch.no_grad():
        lg = model(X)
        m = Y != 0
        loss = F.cross_entropy(lg[m], Y[m]).item()
        acc = (lg.argmax(-1)[m] == Y[m]).float().mean().item()
    return loss, acc


for epoch in range(6):
    for xb, yb in loader():
        loss = F.cross_entropy(model(xb).reshape(-1, len(TAGS)), yb.reshape(-1), ignore_index=0)
        opt.zero_grad()
        loss.backward()
        opt.step()
    vl, va = evaluate(Xva, Yva)
    print(f"epoch {epoch} train_loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.4f}")

vl, va = evaluate(Xva, Yva)
tl, ta = evaluate(Xtr, Ytr)
m = Ytr != 0
counts = torch.bincount(Ytr[m], minlength=len(TAGS)).float()
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "train_acc": round(ta, 4),
    "majority_tag_acc": round((counts.max() / counts.sum()).item(), 4)}))
