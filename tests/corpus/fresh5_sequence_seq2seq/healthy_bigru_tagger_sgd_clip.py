# expect:
# allow:
# forbid: *
# evidence: BiGRU tagger, SGD nesterov + clipping + MultiStepLR; held-out token acc 0.911 vs most-frequent-tag baseline 0.803 (val_loss 0.20, train_loss 0.18; chance 0.167)
"""Bidirectional GRU sequence tagger (POS-like) on a synthetic tagged language.

Tokens are ambiguous: 40% of the word types can carry two tags, and the right tag is decided
by the previous or next word's class, so both directions matter. SGD + Nesterov momentum,
gradient-norm clipping, MultiStepLR. Metric: held-out token accuracy (padding excluded).
"""
import json
import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(1)
np.random.seed(8)
torch.manual_seed(8)

NT, NW, PAD = 6, 60, 0
rng = np.random.default_rng(8)
# tag transition matrix (a crude grammar)
trans = rng.dirichlet(np.ones(NT) * 0.3, size=NT)
word_tags = [rng.choice(NT, size=2 if rng.random() < 0.4 else 1, replace=False) for _ in range(NW)]
by_tag = {t: [w for w in range(NW) if t in word_tags[w]] for t in range(NT)}
for t in range(NT):
    if not by_tag[t]:
        by_tag[t] = [int(rng.integers(NW))]; word_tags[by_tag[t][0]] = np.append(word_tags[by_tag[t][0]], t)


def sample(n):
    X, Y = [], []
    for _ in range(n):
        L = rng.integers(5, 21)
        tags = [rng.integers(NT)]
        for _ in range(L - 1):
            tags.append(rng.choice(NT, p=trans[tags[-1]]))
        words = [rng.choice(by_tag[t]) + 1 for t in tags]
        X.append(words); Y.append(tags)
    return X, Y


def pad(X, Y):
    T = max(map(len, X))
    x = torch.zeros(len(X), T, dtype=torch.long)
    y = torch.full((len(X), T), -1, dtype=torch.long)
    for i, (w, t) in enumerate(zip(X, Y)):
        x[i, :len(w)] = torch.tensor(w); y[i, :len(t)] = torch.tensor(t)
    return x, y


class Tagger(nn.Module):
    def __init__(self, emb=32, hid=48):
        super().__init__()
        self.embed = nn.Embedding(NW + 1, emb, padding_idx=PAD)
        self.gru = nn.GRU(emb, hid, batch_first=True, bidirectional=True)
        self.proj = nn.Linear(2 * hid, NT)

    def forward(self, x):
        h, _ = self.gru(self.embed(x))
        return self.proj(h)


Xtr, Ytr = sample(1500)
Xva, Yva = sample(500)
xva, yva = pad(Xva, Yva)
model = Tagger()
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-5)
sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[3, 5], gamma=0.3)
lossf = nn.CrossEntropyLoss(ignore_index=-1)


def acc_of(logits, y):
    m = y >= 0
    return ((logits.argmax(-1) == y) & m).sum().item() / m.sum().item()


for ep in range(5):
    order = np.random.permutation(len(Xtr))
    model.train()
    losses = []
    for i in range(0, len(order), 20):
        idx = order[i:i + 20]
        x, y = pad([Xtr[j] for j in idx], [Ytr[j] for j in idx])
        out = model(x)
        loss = lossf(out.reshape(-1, NT), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        opt.step()
        losses.append(loss.item())
    sched.step()
    model.eval()
    with torch.no_grad():
        vo = model(xva)
        vl = lossf(vo.reshape(-1, NT), yva.reshape(-1)).item()
    print(f"ep {ep} train_loss {np.mean(losses):.4f} val_loss {vl:.4f} val_tok_acc {acc_of(vo, yva):.4f}")

with torch.no_grad():
    xt, yt = pad(Xtr[:500], Ytr[:500])
    to = model(xt)
    tl = lossf(to.reshape(-1, NT), yt.reshape(-1)).item()
# most-frequent-tag-per-word baseline, for reference
counts = np.zeros((NW + 1, NT))
for w, t in zip(Xtr, Ytr):
    for a, b in zip(w, t):
        counts[a, b] += 1
base = np.mean([counts[a].argmax() == b for w, t in zip(Xva, Yva) for a, b in zip(w, t)])
print(f"most-frequent-tag baseline val acc {base:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc_of(vo, yva), 4), "train_loss": round(tl, 4),
                                     "train_acc": round(acc_of(to, yt), 4), "baseline_acc": round(float(base), 4), "chance_acc": round(1 / NT, 4)}))
