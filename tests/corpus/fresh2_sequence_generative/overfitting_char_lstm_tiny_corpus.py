# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (800 training chars): train nll 0.09 nats/char, val nll bottoms at 0.890 (step 96) and climbs to 1.053; control (40,000 chars, same model/steps): train 0.32, val 0.338 (uniform 3.33)
# control: --control
"""Character-level LSTM language model on text from a small stochastic grammar ("anna paints the
green tree quietly. ...").  The training text is only 800 characters (a "quick sanity subset"
that was never switched back to the full corpus) while the model has ~180k parameters and
takes 320 Adam steps of 32x48 characters, i.e. ~600 passes over the text.  It memorises it:
train cross-entropy falls to ~0.1 nats/char while validation cross-entropy bottoms out early and
then climbs.  --control trains the same model for the same steps on 40,000 characters from the
same grammar; nothing else changes."""
import json
import random
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)

N_TRAIN_CHARS = 40_000 if "--control" in sys.argv else 800
HIDDEN, EMB = 192, 32
STEPS, BATCH, SEQ = 320, 32, 48

rng = random.Random(3)
NAMES = ["anna", "bob", "carla", "dmitri", "eve", "farid", "gwen", "hugo"]
VERBS = ["sees", "likes", "finds", "chases", "paints", "remembers", "visits", "calls"]
OBJECTS = ["a red ball", "the blue house", "two small birds", "the green tree", "a long river",
           "his new car", "her old cat", "the dark forest"]
ADVERBS = ["today", "again", "slowly", "at night", "every day", "quietly"]


def sentence():
    s = f"{rng.choice(NAMES)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    if rng.random() < 0.5:
        s += " " + rng.choice(ADVERBS)
    if rng.random() < 0.3:
        s += f" and {rng.choice(NAMES)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    return s + ". "


def text_of(n):
    out = []
    total = 0
    while total < n:
        s = sentence()
        out.append(s)
        total += len(s)
    return "".join(out)[:n]


val_text = text_of(4000)
train_text = text_of(N_TRAIN_CHARS)
alphabet = sorted(set("abcdefghijklmnopqrstuvwxyz. "))
stoi = {c: i for i, c in enumerate(alphabet)}
V = len(alphabet)
train_ids = torch.tensor([stoi[c] for c in train_text])
val_ids = torch.tensor([stoi[c] for c in val_text])


class CharLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, EMB)
        self.lstm = nn.LSTM(EMB, HIDDEN, batch_first=True)
        self.proj = nn.Linear(HIDDEN, V)

    def forward(self, x):
        return self.proj(self.lstm(self.emb(x))[0])


def nll(ids):
    model.eval()
    x, y = ids[:-1], ids[1:]
    n = (len(x) // SEQ) * SEQ
    with torch.no_grad():
        logits = model(x[:n].view(-1, SEQ))
        out = F.cross_entropy(logits.reshape(-1, V), y[:n].reshape(-1)).item()
    model.train()
    return out


model = CharLM()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
gen = torch.Generator().manual_seed(1)
history = {"step": [], "train_nll": [], "val_nll": []}

for step in range(STEPS):
    starts = torch.randint(0, len(train_ids) - SEQ - 1, (BATCH,), generator=gen)
    x = torch.stack([train_ids[s:s + SEQ] for s in starts])
    y = torch.stack([train_ids[s + 1:s + SEQ + 1] for s in starts])
    loss = F.cross_entropy(model(x).reshape(-1, V), y.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 32 == 0 or step == STEPS - 1:
        history["step"].append(step)
        history["train_nll"].append(loss.item())
        history["val_nll"].append(nll(val_ids))
        print(f"step {step:4d}  train {history['train_nll'][-1]:.3f}  val {history['val_nll'][-1]:.3f} nats/char")

best = min(history["val_nll"])
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(history["val_nll"][-1], 4), "best_val_loss": round(best, 4),
    "train_loss": round(nll(train_ids[:4000]), 4), "uniform_nll": 3.332}))
