# expect:
# allow:
# forbid: *
# evidence: pretrain GRU (aux count task) then fine-tune at lr 5e-4 (encoder) with 4-step grad accumulation on 400 examples; held-out acc 0.907 (majority 0.375), val_loss 0.34 vs train 0.30
"""Two-stage: pretrain a GRU encoder on a plentiful auxiliary task, then fine-tune it at a
low learning rate (with gradient accumulation, 4 micro-batches of 16) on a small labelled
target task. The run recorded is the whole script; the metric is the target task's held-out
accuracy.

Aux task (2000 seqs): predict the count of 'event' tokens (0-5) in a sequence.
Target task (400 labelled seqs): is the number of events even or odd AND is the first event
before the midpoint (4 classes) -- reuses the event detector learned in pretraining.
"""
import json
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import TensorDataset, DataLoader

torch.set_num_threads(1)
torch.manual_seed(17)
V, T = 16, 20
EVENTS = torch.tensor([2, 5, 11])


def gen(n):
    x = torch.randint(0, V, (n, T))
    x[torch.isin(x, EVENTS)] = 0
    k = torch.randint(0, 6, (n,))
    for i in range(n):
        pos = torch.randperm(T)[:k[i]]
        x[i, pos] = EVENTS[torch.randint(0, 3, (len(pos),))]
    is_ev = torch.isin(x, EVENTS)
    count = is_ev.sum(1)
    first = torch.where(is_ev.any(1), is_ev.float().argmax(1), torch.full((n,), T))
    target = (count % 2) * 2 + (first < T // 2).long()
    return x, count, target


class Encoder(nn.Module):
    def __init__(self, d=48):
        super().__init__()
        self.emb = nn.Embedding(V, d)
        self.gru = nn.GRU(d, d, batch_first=True)

    def forward(self, x):
        out, h = self.gru(self.emb(x))
        return h[-1]


enc = Encoder()
aux_head = nn.Linear(48, 6)
xa, ca, _ = gen(2000)
opt = torch.optim.Adam(list(enc.parameters()) + list(aux_head.parameters()), lr=3e-3)
for ep in range(7):
    for xb, yb in DataLoader(TensorDataset(xa, ca), batch_size=64, shuffle=True):
        loss = F.cross_entropy(aux_head(enc(xb)), yb)
        opt.zero_grad(); loss.backward(); opt.step()
    print(f"pretrain epoch {ep} loss {loss.item():.4f}")

# ---- fine-tune ----
xt, _, yt = gen(400)
xv, _, yv = gen(600)
head = nn.Linear(48, 4)
ft_opt = torch.optim.AdamW([{"params": enc.parameters(), "lr": 5e-4},
                            {"params": head.parameters(), "lr": 1e-2}], weight_decay=0.01)
ACCUM = 4
loader = DataLoader(TensorDataset(xt, yt), batch_size=16, shuffle=True)
for ep in range(14):
    enc.train()
    ft_opt.zero_grad()
    for i, (xb, yb) in enumerate(loader):
        loss = F.cross_entropy(head(enc(xb)), yb) / ACCUM
        loss.backward()
        if (i + 1) % ACCUM == 0:
            nn.utils.clip_grad_norm_(list(enc.parameters()) + list(head.parameters()), 1.0)
            ft_opt.step(); ft_opt.zero_grad()
    enc.eval()
    with torch.no_grad():
        lo = head(enc(xv)); vl = F.cross_entropy(lo, yv).item(); va = (lo.argmax(1) == yv).float().mean().item()
        lt = head(enc(xt)); tl = F.cross_entropy(lt, yt).item(); ta = (lt.argmax(1) == yt).float().mean().item()
    print(f"finetune epoch {ep} train_loss {tl:.4f} train_acc {ta:.3f} val_loss {vl:.4f} val_acc {va:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(ta, 4), "chance_acc": round(torch.bincount(yv).max().item() / len(yv), 4)}))
