# expect:
# allow:
# forbid: *
# evidence: clean val_loss 0.96 (unigram 3.19, uniform 3.47; hand-estimated entropy floor of the grammar ~0.9 nats/token); 8 of 150 shards are garbage and each gives a 3-step spike to ~3.7 that recovers immediately
"""Word-level LSTM LM trained on a 'scraped' corpus made of shards: ~4% of the shards are
boilerplate garbage (random word salad) that nobody filtered out. Batches are drawn shard by
shard, so whenever a garbage shard comes up the training loss spikes to ~log(V) for a few steps,
then drops straight back. Adam 3e-3 with clip_grad_norm_ 1.0 keeps those spikes harmless. The
validation set is clean text; it improves steadily and ends far below the unigram baseline.
"""
import json
import math
import random

import torch
from torch import nn
from torch.nn import functional as F

torch.set_num_threads(1)
torch.manual_seed(22)
random.seed(22)

PEOPLE = ["the mayor", "a nurse", "our neighbour", "the pilot", "my brother", "the chef"]
ACTIONS = ["opened", "closed", "repaired", "painted", "visited", "cleaned"]
PLACES = ["the school", "a bakery", "the station", "the old mill", "a small museum"]
TIMES = ["on friday", "this morning", "before lunch", "in winter"]


def clean_sentence():
    s = f"{random.choice(PEOPLE)} {random.choice(ACTIONS)} {random.choice(PLACES)}"
    if random.random() < 0.6:
        s += " " + random.choice(TIMES)
    return s.split() + ["."]


vocab = sorted({w for grp in (PEOPLE, ACTIONS, PLACES, TIMES) for p in grp for w in p.split()} | {"."})
stoi = {w: i for i, w in enumerate(vocab)}
V = len(vocab)


def shard(garbage, n_tok=400):
    if garbage:
        return torch.randint(0, V, (n_tok,))
    ws = []
    while len(ws) < n_tok:
        ws += clean_sentence()
    return torch.tensor([stoi[w] for w in ws[:n_tok]])


is_garbage = [random.random() < 0.04 for _ in range(150)]
shards = [shard(gb) for gb in is_garbage]
val = torch.cat([shard(False) for _ in range(10)])
T, B = 20, 16


class LSTMLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, 48)
        self.lstm = nn.LSTM(48, 96, batch_first=True)
        self.out = nn.Linear(96, V)

    def forward(self, x):
        return self.out(self.lstm(self.emb(x))[0])


@torch.no_grad()
def eval_loss(d):
    x = torch.stack([d[i:i + T] for i in range(0, len(d) - T - 1, T)])
    y = torch.stack([d[i + 1:i + T + 1] for i in range(0, len(d) - T - 1, T)])
    return F.cross_entropy(model(x).reshape(-1, V), y.reshape(-1)).item()


model = LSTMLM()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
step = 0
for epoch in range(2):
    order = list(range(len(shards)))
    random.shuffle(order)
    for si in order:
        d = shards[si]
        for _ in range(3):  # 3 batches per shard
            ix = torch.randint(0, len(d) - T - 1, (B,))
            x = torch.stack([d[i:i + T] for i in ix])
            y = torch.stack([d[i + 1:i + T + 1] for i in ix])
            loss = F.cross_entropy(model(x).reshape(-1, V), y.reshape(-1))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            if step % 25 == 0 or loss.item() > 2.5 and step > 100:
                print(f"step {step} loss {loss.item():.4f}")
            step += 1
    print(f"epoch {epoch} val_loss {eval_loss(val):.4f}")

freq = torch.bincount(val, minlength=V).float() + 1
freq /= freq.sum()
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(eval_loss(val), 4), "unigram_loss": round(-(freq * freq.log()).sum().item(), 4),
    "uniform_loss": round(math.log(V), 4), "n_garbage_shards": sum(is_garbage), "n_shards": len(shards)}))
