# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (24 train sentences) train_loss 0.41 while val_loss climbs from 2.20 (step 35) to 3.52; control (3000 sentences, same steps) val_loss 1.29, train 1.28
# control: --control
# Sentence-level causal LM: nn.TransformerEncoder + causal mask, each sentence padded to a fixed
# length with <pad> ignored in the loss. Planted: the training set is only 24 sentences (someone
# debugging on a tiny slice and then "training properly" for 700 steps on it); --control trains
# the same model for the same number of steps on 3000 sentences from the same grammar.
import argparse
import json
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--control", action="store_true")
args = p.parse_args()

torch.set_num_threads(1)
torch.manual_seed(5)
rnd = random.Random(5)

SUBJ = ["the farmer", "a nurse", "my uncle", "the pilot", "her sister", "the baker", "a student",
        "the mayor", "our coach", "the painter"]
VERB = ["bought", "painted", "sold", "found", "cleaned", "borrowed", "fixed", "lost", "wanted", "hid"]
OBJ = ["a bike", "the fence", "two lamps", "a car", "the boat", "some chairs", "a clock",
       "the piano", "three books", "a radio"]
WHEN = ["yesterday", "on monday", "last week", "in june", "at night", "today", "this morning"]
WHERE = ["in town", "at home", "near the river", "by the school", "downtown"]


def sentence():
    s = f"{rnd.choice(SUBJ)} {rnd.choice(VERB)} {rnd.choice(OBJ)}"
    if rnd.random() < 0.6:
        s += " " + rnd.choice(WHERE)
    if rnd.random() < 0.6:
        s += " " + rnd.choice(WHEN)
    return ["<bos>"] + s.split() + ["."]


vocab = ["<pad>", "<bos>", "."] + sorted({w for L in (SUBJ, VERB, OBJ, WHEN, WHERE) for x in L for w in x.split()})
stoi = {w: i for i, w in enumerate(vocab)}
V, L = len(vocab), 14


def encode(sents):
    out = torch.zeros(len(sents), L, dtype=torch.long)
    for i, s in enumerate(sents):
        ids = [stoi[w] for w in s][:L]
        out[i, :len(ids)] = torch.tensor(ids)
    return out


val = encode([sentence() for _ in range(400)])
train = encode([sentence() for _ in range(3000 if args.control else 24)])


class LM(nn.Module):
    def __init__(self, d=128):
        super().__init__()
        self.emb = nn.Embedding(V, d, padding_idx=0)
        self.pos = nn.Embedding(L, d)
        self.body = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, 4, 256, dropout=0.0, batch_first=True), 2,
            enable_nested_tensor=False)
        self.head = nn.Linear(d, V)

    def forward(self, x):
        t = x.size(1)
        mask = torch.triu(torch.full((t, t), float("-inf")), diagonal=1)
        h = self.emb(x) + self.pos(torch.arange(t))
        return self.head(self.body(h, mask=mask, is_causal=True))


def lm_loss(model, batch):
    logits = model(batch[:, :-1])
    return F.cross_entropy(logits.reshape(-1, V), batch[:, 1:].reshape(-1), ignore_index=0)


model = LM()
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.0)
STEPS, BS = 700, 16
best = float("inf")
for step in range(1, STEPS + 1):
    idx = torch.randint(len(train), (BS,))
    loss = lm_loss(model, train[idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 35 == 0:
        model.eval()
        with torch.no_grad():
            vl = lm_loss(model, val).item()
        model.train()
        best = min(best, vl)
        print(f"step {step}: train loss {loss.item():.4f}, val loss {vl:.4f}")

model.eval()
with torch.no_grad():
    vl = lm_loss(model, val).item()
    tl = lm_loss(model, train[:400]).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "train_loss": round(tl, 4),
                                     "best_val_loss": round(best, 4), "n_train_sentences": len(train)}))
