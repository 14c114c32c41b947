# expect:
# allow:
# forbid: *
# evidence: val_acc 1.000 on 3-way majority-vote labels (majority-class rate 0.373), val_loss 0.040 (label smoothing 0.05 keeps train loss ~0.19)
"""Transformer encoder sequence classifier over variable-length token lists with a key padding
mask and masked mean pooling. Label: which of the 'vote' tokens (A/B/C) occurs most often."""
import json
import math
import random

import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(2024)
random.seed(2024)

PAD = 0
VOTES = [1, 2, 3]            # A, B, C
FILLER = list(range(4, 20))
MAX_LEN = 24


def example():
    L = random.randint(8, MAX_LEN)
    while True:
        seq = [random.choice(VOTES) if random.random() < 0.4 else random.choice(FILLER) for _ in range(L)]
        counts = [seq.count(v) for v in VOTES]
        if sorted(counts)[-1] != sorted(counts)[-2]:       # unique winner
            return seq, counts.index(max(counts))


def make(n):
    X = torch.full((n, MAX_LEN), PAD)
    y = torch.empty(n, dtype=torch.long)
    for i in range(n):
        s, lab = example()
        X[i, :len(s)] = torch.tensor(s)
        y[i] = lab
    return X, y


class Classifier(nn.Module):
    def __init__(self, vocab=20, d=64, heads=4, layers=2, n_cls=3):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=PAD)
        self.pos = nn.Embedding(MAX_LEN, d)
        layer = nn.TransformerEncoderLayer(d, heads, dim_feedforward=128, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.cls = nn.Linear(d, n_cls)

    def forward(self, x):
        pad_mask = x == PAD                                   # True where padded
        h = self.emb(x) + self.pos(torch.arange(x.size(1)))
        h = self.encoder(h, src_key_padding_mask=pad_mask)
        keep = (~pad_mask).unsqueeze(-1).float()
        pooled = (h * keep).sum(1) / keep.sum(1)
        return self.cls(pooled)


Xtr, ytr = make(2000)
Xva, yva = make(600)
model = Classifier()
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
epochs, bs = 4, 64
total = epochs * math.ceil(len(Xtr) / bs)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=total, pct_start=0.1)
crit = nn.CrossEntropyLoss(label_smoothing=0.05)

for ep in range(epochs):
    model.train()
    perm = torch.randperm(len(Xtr))
    tl = 0.0
    for i in range(0, len(perm), bs):
        b = perm[i:i + bs]
        loss = crit(model(Xtr[b]), ytr[b])
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        tl += loss.item() * len(b)
    model.eval()
    with torch.no_grad():
        out = model(Xva)
        vl = nn.functional.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    print(f"epoch {ep + 1}: train_loss={tl / len(Xtr):.4f} val_loss={vl:.4f} val_acc={va:.4f}")

with torch.no_grad():
    tr_acc = (model(Xtr[:600]).argmax(1) == ytr[:600]).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_acc": round(tr_acc, 4),
                                     "chance_acc": round(max(torch.bincount(yva).tolist()) / len(yva), 4)}))
