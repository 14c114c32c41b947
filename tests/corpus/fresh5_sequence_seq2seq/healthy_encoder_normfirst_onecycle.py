# expect:
# allow:
# forbid: *
# evidence: nn.TransformerEncoder(batch_first, norm_first) + OneCycleLR; held-out acc 0.98 (val_loss 0.05, train_loss 0.03; chance 0.25) on the 4-class motif-order task
# Sequence classification with the built-in nn.TransformerEncoder (batch_first=True, norm_first=True).
# Task: does the sequence contain the motif "A ... B" (A before B)? plus a count-based class -> 4 classes.
import json
import warnings
import numpy as np
import torch
from torch import nn
from torch.utils.data import TensorDataset, DataLoader

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
torch.manual_seed(1)
rng = np.random.default_rng(1)

VOCAB, L = 20, 24
A, B = 3, 7


def generate(n):
    x = rng.integers(8, VOCAB, size=(n, L))
    y = np.zeros(n, dtype=np.int64)
    for i in range(n):
        kind = rng.integers(0, 4)
        # 0: neither, 1: only A, 2: B then A (wrong order), 3: A then B
        if kind == 1:
            x[i, rng.integers(0, L)] = A
        elif kind in (2, 3):
            p, q = sorted(rng.choice(L, size=2, replace=False))
            first, second = (A, B) if kind == 3 else (B, A)
            x[i, p], x[i, q] = first, second
        y[i] = kind
    return torch.tensor(x), torch.tensor(y)


xtr, ytr = generate(2500)
xva, yva = generate(1000)
train_dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)


class Classifier(nn.Module):
    def __init__(self, d=48):
        super().__init__()
        self.tok = nn.Embedding(VOCAB, d)
        self.pos = nn.Embedding(L, d)
        layer = nn.TransformerEncoderLayer(d, nhead=4, dim_feedforward=96, dropout=0.1,
                                           batch_first=True, norm_first=True, activation="gelu")
        self.enc = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, 4)

    def forward(self, x):
        h = self.tok(x) + self.pos(torch.arange(x.size(1)))
        h = self.norm(self.enc(h))
        return self.head(h.mean(1))


model = Classifier()
EPOCHS = 4
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=EPOCHS * len(train_dl), pct_start=0.25)
loss_fn = nn.CrossEntropyLoss()

for epoch in range(EPOCHS):
    model.train()
    tot, n = 0.0, 0
    for xb, yb in train_dl:
        out = model(xb)
        loss = loss_fn(out, yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        tot += loss.item() * len(xb); n += len(xb)
    model.eval()
    with torch.no_grad():
        vo = model(xva)
        vloss = loss_fn(vo, yva).item()
        vacc = (vo.argmax(1) == yva).float().mean().item()
    print(f"[{epoch}] train {tot/n:.4f}  val {vloss:.4f}  acc {vacc:.3f}")

with torch.no_grad():
    tr_loss = loss_fn(model(xtr[:1000]), ytr[:1000]).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4),
                                     "train_loss": round(tr_loss, 4), "chance_acc": 0.25}))
