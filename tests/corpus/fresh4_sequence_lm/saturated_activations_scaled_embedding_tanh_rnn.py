# expect: saturated_activations
# allow: vanishing_gradients, non_convergence, poor_initialization, high_bias
# forbid: *
# evidence: control (no sqrt(d) factor) val_acc 1.000, val_loss 0.0003, 5.5% of |h|>0.99; planted 99.7% of hidden units |h|>0.99, val_acc 0.704 (majority 0.664), acc after a negation 0.119, val_loss 0.594
# control: --control
"""Elman (tanh) RNN tagging each word of generated sentences with whether a negation
('not', 'never', 'no') has appeared so far. The author copied `emb(x) * sqrt(d_model)` from a
Transformer tutorial; with d=256 this feeds inputs ~16x too large into the tanh recurrence.
--control drops the sqrt(d_model) factor."""
import json
import math
import random
import sys

import torch
import torch.nn as nn

SCALE_EMB = "--control" not in sys.argv
torch.set_num_threads(1)
torch.manual_seed(77)
random.seed(77)

NEG = ["not", "never", "no"]
OTHER = ("the food was good and the staff were kind but we waited long for a table "
         "music felt loud yet price seemed fair so i liked it").split()
vocab = ["<pad>"] + NEG + sorted(set(OTHER))
w2i = {w: i for i, w in enumerate(vocab)}
T = 20


def sample(n):
    X = torch.zeros(n, T, dtype=torch.long)
    Y = torch.zeros(n, T, dtype=torch.long)
    for i in range(n):
        seen = 0
        for t in range(T):
            w = random.choice(NEG) if random.random() < 0.04 else random.choice(OTHER)
            seen = seen or (w in NEG)
            X[i, t], Y[i, t] = w2i[w], seen
    return X, Y


class Tagger(nn.Module):
    def __init__(self, d_model=256, hidden=128):
        super().__init__()
        self.d_model = d_model
        self.emb = nn.Embedding(len(vocab), d_model)
        self.rnn = nn.RNN(d_model, hidden, batch_first=True, nonlinearity="tanh")
        self.cls = nn.Linear(hidden, 2)

    def forward(self, x):
        e = self.emb(x)
        if SCALE_EMB:
            e = e * math.sqrt(self.d_model)
        h, _ = self.rnn(e)
        return self.cls(h), h


Xtr, Ytr = sample(3000)
Xva, Yva = sample(500)
model = Tagger()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
ce = nn.CrossEntropyLoss()

for epoch in range(4):
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(perm), 32):
        b = perm[i:i + 32]
        logits, _ = model(Xtr[b])
        loss = ce(logits.reshape(-1, 2), Ytr[b].reshape(-1))
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
    with torch.no_grad():
        logits, h = model(Xva)
        vloss = ce(logits.reshape(-1, 2), Yva.reshape(-1)).item()
        pred = logits.argmax(-1)
        vacc = (pred == Yva).float().mean().item()
        # accuracy on the minority label (after a negation) is the interesting part
        pos_acc = (pred[Yva == 1] == 1).float().mean().item()
        sat = (h.abs() > 0.99).float().mean().item()
    print(f"epoch {epoch}: train_loss {loss.item():.4f} val_loss {vloss:.4f} val_acc {vacc:.4f} "
          f"acc_after_negation {pos_acc:.4f} frac|h|>0.99 {sat:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4),
                                     "val_acc_after_negation": round(pos_acc, 4), "train_loss": round(loss.item(), 4),
                                     "saturated_fraction": round(sat, 4),
                                     "majority_acc": round(max(Yva.float().mean().item(), 1 - Yva.float().mean().item()), 4)}))
