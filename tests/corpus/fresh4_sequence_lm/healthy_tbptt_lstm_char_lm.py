# expect:
# allow:
# forbid: *
# evidence: val loss 0.191 nats/char = 0.276 bits/char (uniform 3.56 nats), train 0.183; loss falls every epoch, no gap
"""Stateful char-level LSTM LM trained with truncated BPTT: the corpus is split into 16 parallel
streams, the hidden state is carried across consecutive 40-char chunks and detached at each
chunk boundary. Text: generated train-station announcements."""
import json
import math
import random

import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(55)
rnd = random.Random(55)

STATIONS = ["north gate", "river end", "old mill", "harbour", "kings cross", "elm park"]
TIMES = [f"{h}:{m:02d}" for h in range(6, 23) for m in (0, 15, 30, 45)]


def announcement():
    kind = rnd.random()
    if kind < 0.4:
        return f"the {rnd.choice(TIMES)} to {rnd.choice(STATIONS)} departs from platform {rnd.randint(1, 9)}.\n"
    if kind < 0.7:
        return f"the {rnd.choice(TIMES)} to {rnd.choice(STATIONS)} is delayed by {rnd.randint(2, 40)} minutes.\n"
    return f"please mind the gap at {rnd.choice(STATIONS)}.\n"


train_text = "".join(announcement() for _ in range(1500))
val_text = "".join(announcement() for _ in range(150))
vocab = sorted(set(train_text + val_text))
ch2ix = {c: i for i, c in enumerate(vocab)}


def streams(text, n):
    ids = torch.tensor([ch2ix[c] for c in text])
    L = len(ids) // n
    return ids[: n * L].view(n, L)


N_STREAMS, CHUNK = 16, 40
train_ids, val_ids = streams(train_text, N_STREAMS), streams(val_text, 4)


class CharLSTM(nn.Module):
    def __init__(self, V, h=128):
        super().__init__()
        self.emb = nn.Embedding(V, 32)
        self.lstm = nn.LSTM(32, h, batch_first=True)
        self.fc = nn.Linear(h, V)

    def forward(self, x, state=None):
        out, state = self.lstm(self.emb(x), state)
        return self.fc(out), state


def run(model, ids, opt=None):
    state, tot, n = None, 0.0, 0
    for s in range(0, ids.size(1) - 1 - CHUNK, CHUNK):
        x, y = ids[:, s:s + CHUNK], ids[:, s + 1:s + CHUNK + 1]
        if state is not None:
            state = tuple(t.detach() for t in state)   # truncate BPTT at the chunk boundary
        logits, state = model(x, state)
        loss = nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)), y.reshape(-1))
        if opt is not None:
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
        tot += loss.item() * y.numel()
        n += y.numel()
    return tot / n


model = CharLSTM(len(vocab))
opt = torch.optim.Adam(model.parameters(), lr=4e-3)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
for epoch in range(6):
    model.train()
    tr = run(model, train_ids, opt)
    sched.step()
    model.eval()
    with torch.no_grad():
        va = run(model, val_ids)
    print(f"epoch {epoch + 1}: train_loss {tr:.4f} val_loss {va:.4f} val_bpc {va / math.log(2):.3f}")

with torch.no_grad():
    tr_eval = run(model, train_ids[:4])
print("CORPUS_METRIC " + json.dumps({"val_loss": round(va, 4), "train_loss": round(tr_eval, 4),
                                     "val_bpc": round(va / math.log(2), 4), "uniform_loss": round(math.log(len(vocab)), 4)}))
