# expect:
# allow:
# forbid: *
# evidence: per-position val_acc 1.000 (chance 0.333), val_loss 0.0002 after 250 steps; train_loss 0.0002
"""A hand-written gated linear recurrence ("minimal GRU"-style scan) trained to tag each position
with (number of 'x' tokens seen so far) mod 3, ignoring distractor tokens."""
import argparse
import json

import torch
from torch import nn

p = argparse.ArgumentParser()
p.add_argument("--steps", type=int, default=250)
p.add_argument("--seq", type=int, default=24)
args = p.parse_args()

torch.set_num_threads(1)
torch.manual_seed(3)

V = 8           # token 0 is 'x', 1..7 are distractors
N_CLASSES = 3


def make_data(n, L, g):
    toks = torch.randint(0, V, (n, L), generator=g)
    toks = torch.where(torch.rand(n, L, generator=g) < 0.3, torch.zeros_like(toks), toks)
    labels = (toks == 0).long().cumsum(1) % N_CLASSES
    return toks, labels


class GatedScan(nn.Module):
    """h_t = a_t * h_{t-1} + (1 - a_t) * u_t   with a_t = sigmoid(W_a [x_t, h_{t-1}]) (elementwise)."""

    def __init__(self, d_in, d_h):
        super().__init__()
        self.gate = nn.Linear(d_in + d_h, d_h)
        self.cand = nn.Linear(d_in + d_h, d_h)
        nn.init.constant_(self.gate.bias, 1.0)   # start with a bias toward remembering

    def forward(self, x):
        B, T, _ = x.shape
        h = x.new_zeros(B, self.gate.out_features)
        outs = []
        for t in range(T):
            z = torch.cat([x[:, t], h], -1)
            a = torch.sigmoid(self.gate(z))
            u = torch.tanh(self.cand(z))
            h = a * h + (1 - a) * u
            outs.append(h)
        return torch.stack(outs, 1)


class Tagger(nn.Module):
    def __init__(self, d=48):
        super().__init__()
        self.emb = nn.Embedding(V, d)
        self.scan = GatedScan(d, d)
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, N_CLASSES)

    def forward(self, toks):
        return self.head(self.norm(self.scan(self.emb(toks))))


g = torch.Generator().manual_seed(11)
Xtr, Ytr = make_data(4000, args.seq, g)
Xva, Yva = make_data(500, args.seq, g)

model = Tagger()
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1e-2, total_steps=args.steps, pct_start=0.1)
lossf = nn.CrossEntropyLoss()

for step in range(args.steps):
    idx = torch.randint(0, len(Xtr), (64,))
    logits = model(Xtr[idx])
    loss = lossf(logits.reshape(-1, N_CLASSES), Ytr[idx].reshape(-1))
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    sched.step()
    if step % 50 == 0 or step == args.steps - 1:
        with torch.no_grad():
            vl = model(Xva)
            vloss = lossf(vl.reshape(-1, N_CLASSES), Yva.reshape(-1)).item()
            vacc = (vl.argmax(-1) == Yva).float().mean().item()
        print(f"{step:4d} train_loss={loss.item():.4f} val_loss={vloss:.4f} val_acc={vacc:.4f}")

with torch.no_grad():
    tl = model(Xtr[:500])
    train_loss = lossf(tl.reshape(-1, N_CLASSES), Ytr[:500].reshape(-1)).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4),
                                     "train_loss": round(train_loss, 4), "chance_acc": round(1 / 3, 4)}))
