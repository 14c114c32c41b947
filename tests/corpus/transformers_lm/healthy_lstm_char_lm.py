# expect:
# allow:
# forbid: *
# evidence: LSTM char LM: val loss 3.51 -> 0.399 (train 0.415); flat from step ~200 because it reached the corpus entropy floor, no train/val gap
"""Character-level LSTM language model (next-token prediction) on synthetic recipe-like text."""
import json
import math
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
random.seed(0)

ITEMS = ["flour", "sugar", "butter", "eggs", "milk", "salt", "rice", "beans"]
UNITS = ["g", "ml", "cups", "tbsp"]
VERBS = ["mix", "add", "stir", "bake", "chop", "boil"]


def recipe_line():
    if random.random() < 0.5:
        return f"{random.choice(VERBS)} {random.randint(1, 9)}{random.choice(['', '0'])} {random.choice(UNITS)} {random.choice(ITEMS)};\n"
    return f"{random.choice(VERBS)} the {random.choice(ITEMS)} and {random.choice(ITEMS)};\n"


text = "".join(recipe_line() for _ in range(3000))
chars = sorted(set(text))
idx = {c: i for i, c in enumerate(chars)}
enc = torch.tensor([idx[c] for c in text])
cut = int(0.9 * len(enc))
train_ids, val_ids = enc[:cut], enc[cut:]
V = len(chars)
SEQ, BS = 48, 24


def sample(ids):
    starts = torch.randint(0, len(ids) - SEQ - 1, (BS,))
    x = torch.stack([ids[s:s + SEQ] for s in starts])
    y = torch.stack([ids[s + 1:s + SEQ + 1] for s in starts])
    return x, y


class CharLSTM(nn.Module):
    def __init__(self, vocab, emb=32, hidden=64):
        super().__init__()
        self.emb = nn.Embedding(vocab, emb)
        self.lstm = nn.LSTM(emb, hidden, batch_first=True)
        self.head = nn.Linear(hidden, vocab)

    def forward(self, x, targets=None):
        h, _ = self.lstm(self.emb(x))
        logits = self.head(h)
        loss = None if targets is None else F.cross_entropy(logits.reshape(-1, logits.size(-1)), targets.reshape(-1))
        return logits, loss


net = CharLSTM(V)
opt = torch.optim.Adam(net.parameters(), lr=5e-3)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=400, eta_min=5e-4)


@torch.no_grad()
def eval_loss(ids, n=10):
    net.eval()
    out = sum(net(*sample(ids))[1].item() for _ in range(n)) / n
    net.train()
    return out


for step in range(401):
    if step % 50 == 0:
        tr, va = eval_loss(train_ids), eval_loss(val_ids)
        print(f"step {step}: train loss {tr:.4f}, val loss {va:.4f}")
    if step == 400:
        break
    x, y = sample(train_ids)
    _, loss = net(x, y)
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(net.parameters(), 1.0)
    opt.step()
    sched.step()

print("CORPUS_METRIC " + json.dumps({"val_loss": round(va, 4), "train_loss": round(tr, 4), "chance_loss": round(math.log(V), 4)}))
