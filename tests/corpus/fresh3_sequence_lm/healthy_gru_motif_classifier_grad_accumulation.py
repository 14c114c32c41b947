# expect:
# allow:
# forbid: *
# evidence: val_acc 0.973 (chance 0.25), val_loss 0.118 vs train 0.132 after 55 optimizer steps of effective batch 128
"""Motif detection in noisy symbol sequences (which of 4 short motifs is planted somewhere in a
40-symbol sequence?) with a GRU + attention pooling. Memory-limited recipe: micro-batches of 16
with 8 gradient-accumulation steps (effective batch 128), the loss divided by the number of
accumulation steps, clipping and the optimizer step (AdamW + linear warm-up/decay) taken once per
accumulation cycle. Logged per optimizer step (the mean micro-batch loss of the cycle).
"""
import json

import torch
from torch import nn
from torch.nn import functional as F

torch.set_num_threads(1)
torch.manual_seed(16)
g = torch.Generator().manual_seed(16)
V, T, NCLS = 12, 40, 4
motifs = [torch.randint(0, V, (5,), generator=g) for _ in range(NCLS)]


def make(n):
    x = torch.randint(0, V, (n, T), generator=g)
    y = torch.randint(0, NCLS, (n,), generator=g)
    for i in range(n):
        s = int(torch.randint(0, T - 5, (1,), generator=g))
        x[i, s:s + 5] = motifs[y[i]]
    return x, y


xtr, ytr = make(6000)
xva, yva = make(600)


class MotifNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, 32)
        self.gru = nn.GRU(32, 64, batch_first=True, bidirectional=True)
        self.att = nn.Linear(128, 1)
        self.out = nn.Linear(128, NCLS)

    def forward(self, x):
        h = self.gru(self.emb(x))[0]
        w = self.att(h).softmax(1)
        return self.out((w * h).sum(1))


model = MotifNet()
MICRO, ACCUM, OPT_STEPS = 16, 8, 55
opt = torch.optim.AdamW(model.parameters(), lr=4e-3, weight_decay=0.01)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / 8, (OPT_STEPS - s) / (OPT_STEPS - 8)))
perm, ptr = torch.randperm(len(xtr), generator=g), 0
for step in range(OPT_STEPS):
    opt.zero_grad()
    cycle = 0.0
    for _ in range(ACCUM):
        if ptr + MICRO > len(perm):
            perm, ptr = torch.randperm(len(xtr), generator=g), 0
        ix = perm[ptr:ptr + MICRO]
        ptr += MICRO
        loss = F.cross_entropy(model(xtr[ix]), ytr[ix]) / ACCUM
        loss.backward()
        cycle += loss.item()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    sched.step()
    if step % 10 == 0:
        with torch.no_grad():
            va = (model(xva).argmax(1) == yva).float().mean().item()
        print(f"opt step {step} loss {cycle:.4f} val_acc {va:.3f}")

with torch.no_grad():
    lv, lt = model(xva), model(xtr[:1000])
print("CORPUS_METRIC " + json.dumps({
    "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4), "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
    "train_loss": round(F.cross_entropy(lt, ytr[:1000]).item(), 4), "chance_acc": 0.25}))
