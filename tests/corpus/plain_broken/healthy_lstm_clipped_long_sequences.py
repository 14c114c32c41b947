# expect:
# forbid: *
# evidence: LSTM, T=60, clip 1.0: val_acc 1.000, val_loss 0.0009 (chance 0.5)
# LSTM on 60-step token sequences (label: which of two "trigger" tokens appeared first), trained
# with Adam and clip_grad_norm_(1.0). Long sequences + recurrent net, but gated cells and
# clipping keep the gradients tame and the model learns the task.
import argparse
import json

import torch
import torch.nn as nn

p = argparse.ArgumentParser()
p.add_argument("--seq-len", type=int, default=60)
p.add_argument("--epochs", type=int, default=5)
p.add_argument("--clip", type=float, default=1.0)
args = p.parse_args()

torch.set_num_threads(1)
torch.manual_seed(0)
VOCAB, A, B = 12, 1, 2


def make(n, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randint(3, VOCAB, (n, args.seq_len), generator=g)
    pa = torch.randint(0, args.seq_len, (n,), generator=g)
    pb = torch.randint(0, args.seq_len - 1, (n,), generator=g)
    pb = pb + (pb >= pa).long()                 # distinct positions
    x[torch.arange(n), pa] = A
    x[torch.arange(n), pb] = B
    return x, (pa < pb).long()


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, 16)
        self.lstm = nn.LSTM(16, 32, batch_first=True)
        self.fc = nn.Linear(32, 2)

    def forward(self, x):
        out, (h, c) = self.lstm(self.emb(x))
        return self.fc(h[-1])


xtr, ytr = make(2000, 1)
xva, yva = make(500, 2)
model = Tagger()
opt = torch.optim.Adam(model.parameters(), lr=5e-3)
crit = nn.CrossEntropyLoss()

for ep in range(args.epochs):
    model.train()
    perm = torch.randperm(len(xtr))
    tot, n = 0.0, 0
    for i in range(0, len(xtr), 50):
        j = perm[i:i + 50]
        loss = crit(model(xtr[j]), ytr[j])
        opt.zero_grad()
        loss.backward()
        gn = nn.utils.clip_grad_norm_(model.parameters(), args.clip)
        opt.step()
        tot += loss.item() * len(j)
        n += len(j)
    model.eval()
    with torch.no_grad():
        o = model(xva)
        vl = crit(o, yva).item()
        va = (o.argmax(1) == yva).float().mean().item()
    print(f"epoch {ep + 1}/{args.epochs} train_loss={tot / n:.4f} val_loss={vl:.4f} val_acc={va:.3f} last_grad_norm={gn:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                     "train_loss": round(tot / n, 4), "chance_acc": 0.5}))
