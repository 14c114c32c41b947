# expect:
# allow:
# forbid: *
# evidence: held-out 0.669 bits per byte (uniform 8.0), val loss 0.464 nats; train 0.663 bpb (no gap)
"""Byte-level GRU language model with tied input/output embeddings, trained on generated
"weather report" sentences. Reports bits per byte on a held-out set."""
import json
import math
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(99)
random.seed(99)

CITIES = ["Oslo", "Lima", "Cairo", "Perth", "Quito", "Hanoi", "Turin", "Accra"]
SKY = ["sunny", "cloudy", "rainy", "foggy", "windy"]


def report():
    c = random.choice(CITIES)
    lo = random.randint(-5, 20)
    hi = lo + random.randint(2, 12)
    return f"{c}: {random.choice(SKY)}, low {lo}C, high {hi}C.\n"


def encode(s):
    return torch.tensor(list(s.encode("utf-8")), dtype=torch.long)


train = encode("".join(report() for _ in range(2500)))
val = encode("".join(report() for _ in range(250)))


class ByteLM(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        self.embed = nn.Embedding(256, d)
        self.rnn = nn.GRU(d, d, batch_first=True)
        self.drop = nn.Dropout(0.1)
        self.decoder = nn.Linear(d, 256)
        self.decoder.weight = self.embed.weight      # weight tying
        nn.init.normal_(self.embed.weight, std=d ** -0.5)

    def forward(self, x, targets=None, h=None):
        out, h = self.rnn(self.drop(self.embed(x)), h)
        logits = self.decoder(self.drop(out))
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.view(-1, 256), targets.view(-1))
        return logits, loss, h


SEQ, BS, STEPS = 48, 32, 220
model = ByteLM()
opt = torch.optim.AdamW(model.parameters(), lr=4e-3, weight_decay=0.01)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=4e-3, total_steps=STEPS, pct_start=0.15)


def batch(src, g=None):
    ix = torch.randint(0, len(src) - SEQ - 1, (BS,), generator=g)
    return (torch.stack([src[i:i + SEQ] for i in ix]), torch.stack([src[i + 1:i + SEQ + 1] for i in ix]))


@torch.no_grad()
def bpb(src):
    model.eval()
    g = torch.Generator().manual_seed(1)
    tot = sum(model(*batch(src, g))[1].item() for _ in range(4)) / 4
    model.train()
    return tot / math.log(2)


for step in range(STEPS):
    x, y = batch(train)
    _, loss, _ = model(x, y)
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 0.5)
    opt.step()
    sched.step()
    if step % 55 == 0:
        print(f"step {step}: train_bpb {bpb(train):.3f} val_bpb {bpb(val):.3f}")

val_bpb, train_bpb = bpb(val), bpb(train)
print(f"final: train_bpb {train_bpb:.3f} val_bpb {val_bpb:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_bpb": round(val_bpb, 4), "train_bpb": round(train_bpb, 4),
                                     "val_loss": round(val_bpb * math.log(2), 4), "uniform_bpb": 8.0}))
