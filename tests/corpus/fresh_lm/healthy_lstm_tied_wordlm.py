# expect:
# forbid: *
# evidence: val_loss 0.796 vs unigram 3.276 (train 0.789); object-recall probe 1.00 (chance 0.125); short plateau in epochs 1-3 before the recall is learned
# Word-level LSTM language model with tied input/output embeddings (Press & Wolf), dropout 0.2,
# truncated BPTT over a continuous token stream with the hidden state carried across batches,
# Adam + grad clipping 0.5, lr halved when val loss stops improving (ReduceLROnPlateau).
# Text: templated "story" sentences where an object introduced early must be recalled later.
import argparse
import json
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--lr", type=float, default=6e-3)
p.add_argument("--epochs", type=int, default=10)
args = p.parse_args()

torch.set_num_threads(1)
torch.manual_seed(3)
R = random.Random(3)

OBJ = ["ball", "box", "hat", "cup", "kite", "shoe", "book", "lamp"]
COL = ["red", "blue", "green", "pink", "black", "white", "gray"]
NAME = ["tom", "ann", "joe", "sue", "max", "eva"]
VERB = ["has", "sees", "wants", "drops", "finds"]


def story():
    o, c, n = R.choice(OBJ), R.choice(COL), R.choice(NAME)
    s = f"{n} {R.choice(VERB)} a {c} {o} .".split()
    if R.random() < 0.5:
        s += f"the {o} is very {R.choice(['old', 'new', 'big', 'small'])} .".split()
    s += f"{R.choice(NAME)} likes the {c} {o} .".split()  # object must be recalled
    return s + ["<eos>"]


vocab = sorted({w for _ in range(2000) for w in story()})
stoi = {w: i for i, w in enumerate(vocab)}
V = len(vocab)


def corpus(n_stories):
    return torch.tensor([stoi[w] for _ in range(n_stories) for w in story()])


train, val = corpus(3000), corpus(400)
BS, BPTT = 20, 35


def batchify(d, bs):
    n = d.size(0) // bs
    return d[:n * bs].view(bs, n)  # (bs, time)


train_b, val_b = batchify(train, BS), batchify(val, 10)


class LSTMLM(nn.Module):
    def __init__(self, d=96):
        super().__init__()
        self.emb = nn.Embedding(V, d)
        self.drop = nn.Dropout(0.2)
        self.rnn = nn.LSTM(d, d, num_layers=1, batch_first=True)
        self.out = nn.Linear(d, V)
        self.out.weight = self.emb.weight  # tied
        nn.init.uniform_(self.emb.weight, -0.1, 0.1)

    def forward(self, x, h=None):
        y, h = self.rnn(self.drop(self.emb(x)), h)
        return self.out(self.drop(y)), h


model = LSTMLM()
opt = torch.optim.Adam(model.parameters(), lr=args.lr)
plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=0)


def detach(h):
    return tuple(t.detach() for t in h)


@torch.no_grad()
def evaluate(data):
    model.eval()
    h, tot, n = None, 0.0, 0
    for i in range(0, data.size(1) - 1, BPTT):
        x = data[:, i:i + BPTT]
        y = data[:, i + 1:i + 1 + BPTT]
        x = x[:, :y.size(1)]
        logits, h = model(x, h)
        tot += F.cross_entropy(logits.reshape(-1, V), y.reshape(-1), reduction="sum").item()
        n += y.numel()
    model.train()
    return tot / n


step = 0
for ep in range(args.epochs):
    h = None
    for i in range(0, train_b.size(1) - 1 - BPTT, BPTT):
        x, y = train_b[:, i:i + BPTT], train_b[:, i + 1:i + 1 + BPTT]
        if h is not None:
            h = detach(h)
        logits, h = model(x, h)
        loss = F.cross_entropy(logits.reshape(-1, V), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 0.5)
        opt.step()
        step += 1
        if step % 50 == 0:
            print(f"step {step}: train loss {loss.item():.4f}, val loss {evaluate(val_b):.4f}")
    vl = evaluate(val_b)
    plateau.step(vl)
    print(f"epoch {ep}: val loss {vl:.4f} lr {opt.param_groups[0]['lr']:.2e}")

# recall probe: after "<name> likes the <colour>", does the model name the right object?
model.eval()
hits = 0
with torch.no_grad():
    for k in range(100):
        o, c = OBJ[k % len(OBJ)], COL[k % len(COL)]
        ctx = f"<eos> ann has a {c} {o} . tom likes the {c}".split()
        logits, _ = model(torch.tensor([[stoi[w] for w in ctx]]))
        hits += int(vocab[logits[0, -1].argmax().item()] == o)

cnt = torch.bincount(train, minlength=V).float() + 1
unigram = -(cnt / cnt.sum()).log()[val].mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(evaluate(val_b), 4),
                                     "train_loss": round(evaluate(train_b[:, :2000]), 4),
                                     "unigram_val_loss": round(unigram, 4),
                                     "object_recall_acc": hits / 100,
                                     "chance_recall": round(1 / len(OBJ), 3)}))
