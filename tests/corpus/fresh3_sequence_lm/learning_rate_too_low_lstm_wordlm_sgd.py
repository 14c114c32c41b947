# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: control (lr=20) val_loss 1.04 (ppl 2.8); planted (lr=0.05) val_loss 3.34 (ppl 28), still at the unigram loss 3.33 after 4 epochs (uniform 3.58), loss creeping down
# control: --control
"""Word-level LSTM LM following the recipe of the PyTorch word_language_model example (plain
SGD, clip_grad_norm_ 0.25, truncated BPTT 20, lr divided by 4 when val loss does not improve).
That recipe uses lr=20; the author, used to Adam, 'sanity-fixed' it to lr=0.05, so the
parameters barely move and the model stays near the unigram distribution after the same
training budget. --control restores lr=20.
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
LR = 20.0 if args.control else 0.05

torch.set_num_threads(1)
torch.manual_seed(7)
random.seed(7)

SUBJ = ["alice", "bob", "the king", "a farmer", "my aunt", "the robot"]
VERB = ["bought", "sold", "painted", "found", "lost", "built"]
OBJ = ["a house", "the boat", "two goats", "a red car", "the old map", "some bread"]
WHERE = ["in paris", "at home", "by the sea", "last week", "on monday"]


def sent():
    s = f"{random.choice(SUBJ)} {random.choice(VERB)} {random.choice(OBJ)}"
    if random.random() < 0.5:
        s += " " + random.choice(WHERE)
    return s.split() + ["<eos>"]


train_w = [w for _ in range(5000) for w in sent()]
val_w = [w for _ in range(600) for w in sent()]
vocab = sorted(set(train_w) | set(val_w))
stoi = {w: i for i, w in enumerate(vocab)}
V = len(vocab)
tr = torch.tensor([stoi[w] for w in train_w])
va = torch.tensor([stoi[w] for w in val_w])


def batchify(d, bsz):
    n = len(d) // bsz
    return d[: n * bsz].view(bsz, n).t().contiguous()


BPTT = 20
trb, vab = batchify(tr, 20), batchify(va, 10)


class RNNModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Embedding(V, 64)
        self.rnn = nn.LSTM(64, 64)
        self.dec = nn.Linear(64, V)
        nn.init.uniform_(self.enc.weight, -0.1, 0.1)
        nn.init.uniform_(self.dec.weight, -0.1, 0.1)
        nn.init.zeros_(self.dec.bias)

    def forward(self, x, h):
        o, h = self.rnn(self.enc(x), h)
        return self.dec(o), h


model = RNNModel()


def repackage(h):
    return tuple(t.detach() for t in h)


def evaluate(src, bsz):
    model.eval()
    h = (torch.zeros(1, bsz, 64), torch.zeros(1, bsz, 64))
    tot, n = 0.0, 0
    with torch.no_grad():
        for i in range(0, src.size(0) - 1, BPTT):
            L = min(BPTT, src.size(0) - 1 - i)
            out, h = model(src[i:i + L], h)
            tot += F.cross_entropy(out.view(-1, V), src[i + 1:i + 1 + L].reshape(-1), reduction="sum").item()
            n += L * bsz
    model.train()
    return tot / n


lr, best = LR, None
for epoch in range(4):
    h = (torch.zeros(1, 20, 64), torch.zeros(1, 20, 64))
    for b, i in enumerate(range(0, trb.size(0) - 1, BPTT)):
        L = min(BPTT, trb.size(0) - 1 - i)
        h = repackage(h)
        model.zero_grad()
        out, h = model(trb[i:i + L], h)
        loss = F.cross_entropy(out.view(-1, V), trb[i + 1:i + 1 + L].reshape(-1))
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 0.25)
        for p_ in model.parameters():
            p_.data.add_(p_.grad, alpha=-lr)
        if b % 25 == 0:
            print(f"epoch {epoch} batch {b} lr {lr:g} loss {loss.item():.4f}")
    vl = evaluate(vab, 10)
    print(f"end of epoch {epoch} val_loss {vl:.4f} val_ppl {math.exp(vl):.2f}")
    if best is None or vl < best:
        best = vl
    else:
        lr /= 4.0

vl = evaluate(vab, 10)
tl = evaluate(batchify(tr[:len(va)], 10), 10)
freq = torch.bincount(tr, minlength=V).float() + 1
freq /= freq.sum()
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(vl, 4), "val_ppl": round(math.exp(vl), 3), "train_loss": round(tl, 4),
    "unigram_loss": round(-(freq * freq.log()).sum().item(), 4), "uniform_loss": round(math.log(V), 4)}))
