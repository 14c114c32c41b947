# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (40 sentences) val loss bottoms at 0.683 then climbs to 1.055 while train falls to 0.328; control (1600 sentences, same steps) val 0.642, train 0.638
# control: --control
"""Word-level 2-layer LSTM LM (hidden 192) trained for 120 epochs on only 40 generated
'product review' sentences; validation on 300 fresh ones. --control trains on 1600 sentences
(same number of optimiser steps)."""
import argparse
import json
import math
import random

import torch
import torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
cfg = ap.parse_args()

torch.set_num_threads(1)
torch.manual_seed(12)
rng = random.Random(12)

PRODUCTS = ["phone", "kettle", "lamp", "backpack", "blender", "chair", "monitor", "jacket"]
ADJ_GOOD = ["great", "solid", "lovely", "sturdy", "quiet", "bright"]
ADJ_BAD = ["flimsy", "noisy", "dull", "broken", "heavy", "cheap"]
REASONS = ["the battery", "the handle", "the colour", "the price", "the delivery", "the manual"]
ENDINGS = ["would buy again", "returned it", "gave it away", "use it daily", "told my friends"]


def review():
    good = rng.random() < 0.5
    adj = rng.choice(ADJ_GOOD if good else ADJ_BAD)
    return (f"this {rng.choice(PRODUCTS)} is {adj} because of {rng.choice(REASONS)} , "
            f"{'i' if rng.random() < 0.5 else 'we'} {rng.choice(ENDINGS)} .").split()


n_train = 1600 if cfg.control else 40
train_s = [review() for _ in range(n_train)]
val_s = [review() for _ in range(300)]
words = sorted({w for s in train_s + val_s for w in s})
vocab = ["<pad>", "<s>"] + words
idx = {w: i for i, w in enumerate(vocab)}
L = max(len(s) for s in train_s + val_s) + 1


def tensorize(sents):
    X = torch.zeros(len(sents), L, dtype=torch.long)
    for i, s in enumerate(sents):
        ids = [1] + [idx[w] for w in s]
        X[i, :len(ids)] = torch.tensor(ids)
    return X


Xtr, Xva = tensorize(train_s), tensorize(val_s)


class WordLSTM(nn.Module):
    def __init__(self, V, emb=96, hid=192):
        super().__init__()
        self.emb = nn.Embedding(V, emb, padding_idx=0)
        self.lstm = nn.LSTM(emb, hid, num_layers=2, batch_first=True)
        self.out = nn.Linear(hid, V)

    def forward(self, x):
        h, _ = self.lstm(self.emb(x))
        return self.out(h)


def lm_loss(model, X):
    logits = model(X[:, :-1])
    return nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)), X[:, 1:].reshape(-1), ignore_index=0)


model = WordLSTM(len(vocab))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
STEPS, BS = 240, 20
history = []
for step in range(1, STEPS + 1):
    b = torch.randint(0, len(Xtr), (BS,))
    loss = lm_loss(model, Xtr[b])
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    if step % 30 == 0:
        model.eval()
        with torch.no_grad():
            tl, vl = lm_loss(model, Xtr[:300]).item(), lm_loss(model, Xva).item()
        model.train()
        history.append(vl)
        print(f"step {step}: train_loss {tl:.4f}  val_loss {vl:.4f}")

print(f"best val {min(history):.4f}, final val {vl:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "train_loss": round(tl, 4),
                                     "best_val_loss": round(min(history), 4), "n_train_sentences": n_train}))
