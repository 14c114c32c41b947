"""Variable-length event sequences -> 3 classes with an 84/11/5 split.

* right padding + key-padding mask (pads never attended to, masked mean-pool)
* learned positions, pre-LN, 2 layers
* imbalance handled with inverse-frequency class weights in the loss and a
  stratified split; model selection and reporting on macro-F1 / balanced accuracy
  rather than plain accuracy (which would be 0.84 for "always class 0").
"""
# expect:
# allow:
# forbid: *
# evidence: healthy; val balanced acc 0.986, macro-F1 0.908, per-class recall [0.957, 1.0, 1.0], val loss 0.092 (plain acc 0.964 vs majority-class 0.847); skewed labels handled by class weights
import json
import math
import random

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.metrics import balanced_accuracy_score, f1_score, recall_score
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
torch.manual_seed(21)
random.seed(21)

PAD, VOCAB, MAXLEN = 0, 24, 24
FILLER = list(range(3, 20))
MOTIF = [20, 21]  # class 1: "20 21" adjacent
ALARM = 22        # class 2: ALARM appears twice


def sample(cls):
    n = random.randint(6, MAXLEN)
    s = [random.choice(FILLER) for _ in range(n)]
    if cls == 0 and random.random() < 0.5:
        # distractors: motif tokens but not adjacent / in the wrong order, or a single alarm
        i = random.randrange(n)
        s[i] = random.choice([20, 21, ALARM])
    if cls == 1:
        i = random.randrange(n - 1)
        s[i:i + 2] = MOTIF
    if cls == 2:
        i, j = random.sample(range(n), 2)
        s[i] = s[j] = ALARM
    return s


labels = random.choices([0, 1, 2], weights=[0.84, 0.11, 0.05], k=2400)
seqs = [sample(c) for c in labels]
tr_idx, va_idx = train_test_split(np.arange(len(seqs)), test_size=0.3, stratify=labels, random_state=0)


def pad(batch):
    out = torch.zeros(len(batch), MAXLEN, dtype=torch.long)
    for i, s in enumerate(batch):
        out[i, :len(s)] = torch.tensor(s)
    return out


X = pad(seqs)
Y = torch.tensor(labels)
Xtr, Ytr, Xva, Yva = X[tr_idx], Y[tr_idx], X[va_idx], Y[va_idx]


class Attn(nn.Module):
    def __init__(self, d, nh):
        super().__init__()
        self.nh, self.dk = nh, d // nh
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))

    def forward(self, x, key_pad):
        B, T, _ = x.shape
        sh = lambda t: t.view(B, T, self.nh, self.dk).transpose(1, 2)
        q, k, v = sh(self.q(x)), sh(self.k(x)), sh(self.v(x))
        sc = q @ k.transpose(-1, -2) / math.sqrt(self.dk)
        sc = sc.masked_fill(key_pad[:, None, None, :], float("-inf"))  # every row has >= 6 real keys
        return self.o((sc.softmax(-1) @ v).transpose(1, 2).reshape(B, T, -1))


class Layer(nn.Module):
    def __init__(self, d, nh):
        super().__init__()
        self.ln_a, self.ln_f = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = Attn(d, nh)
        self.ffn = nn.Sequential(nn.Linear(d, 3 * d), nn.GELU(), nn.Dropout(0.1), nn.Linear(3 * d, d))

    def forward(self, x, key_pad):
        x = x + self.attn(self.ln_a(x), key_pad)
        return x + self.ffn(self.ln_f(x))


class EventClassifier(nn.Module):
    def __init__(self, d=48, nh=4, n_layers=2, n_cls=3):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, d, padding_idx=PAD)
        self.pos = nn.Parameter(torch.randn(MAXLEN, d) * 0.1)
        self.layers = nn.ModuleList(Layer(d, nh) for _ in range(n_layers))
        self.ln = nn.LayerNorm(d)
        self.fc = nn.Linear(d, n_cls)

    def forward(self, x):
        key_pad = x == PAD
        h = self.emb(x) + self.pos
        for layer in self.layers:
            h = layer(h, key_pad)
        keep = (~key_pad).unsqueeze(-1).float()
        pooled = (self.ln(h) * keep).sum(1) / keep.sum(1)
        return self.fc(pooled)


freq = torch.bincount(Ytr, minlength=3).float()
class_w = (freq.sum() / (3 * freq))
print("class counts", freq.tolist(), "weights", [round(w, 2) for w in class_w.tolist()])

clf = EventClassifier()
opt = torch.optim.AdamW(clf.parameters(), lr=2e-3, weight_decay=0.01)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=6)
best_f1, best_state = -1.0, None
for epoch in range(6):
    clf.train()
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(perm), 64):
        b = perm[i:i + 64]
        loss = F.cross_entropy(clf(Xtr[b]), Ytr[b], weight=class_w)
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(clf.parameters(), 1.0)
        opt.step()
    sched.step()
    clf.eval()
    with torch.no_grad():
        logits = clf(Xva)
        pred = logits.argmax(1).numpy()
        vloss = F.cross_entropy(logits, Yva).item()
    mf1 = f1_score(Yva.numpy(), pred, average="macro")
    print(f"epoch {epoch:2d} val_loss {vloss:.4f} macro_f1 {mf1:.4f} bal_acc {balanced_accuracy_score(Yva.numpy(), pred):.4f}")
    if mf1 > best_f1:
        best_f1, best_state = mf1, {k: v.clone() for k, v in clf.state_dict().items()}

clf.load_state_dict(best_state)
clf.eval()
with torch.no_grad():
    logits = clf(Xva)
    pred = logits.argmax(1).numpy()
    vloss = F.cross_entropy(logits, Yva).item()
    tl = clf(Xtr)
    tloss = F.cross_entropy(tl, Ytr).item()
    tacc = (tl.argmax(1) == Ytr).float().mean().item()
yv = Yva.numpy()
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(vloss, 4), "val_acc": round(float((pred == yv).mean()), 4),
    "val_balanced_acc": round(balanced_accuracy_score(yv, pred), 4),
    "val_macro_f1": round(f1_score(yv, pred, average="macro"), 4),
    "val_recall_per_class": [round(r, 3) for r in recall_score(yv, pred, average=None)],
    "train_loss": round(tloss, 4), "train_acc": round(tacc, 4),
    "majority_acc": round(float((yv == 0).mean()), 4)}))
