# expect:
# allow:
# forbid: *
# evidence: 2-layer transformer encoder classifying token sequences by a rule (which of 4 marker tokens occurs most often), AdamW with linear warm-up + cosine (LambdaLR), label smoothing 0.1, EMA (0.99) copy used for evaluation; after 6 epochs the EMA model has val_acc 0.983, val_loss 0.264 (chance 0.25; smoothed train loss 0.46 sits above the label-smoothing floor by design)
"""Small transformer, warm-up + cosine, label smoothing, and an EMA of the weights for evaluation."""
import copy
import json
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
VOCAB, L, K = 20, 24, 4


def make(n):
    x = torch.randint(K, VOCAB, (n, L))          # filler tokens
    counts = torch.zeros(n, K)
    for c in range(K):
        m = torch.rand(n, L) < torch.rand(n, 1) * 0.25
        x[m] = c
    for c in range(K):
        counts[:, c] = (x == c).sum(1).float() + 0.01 * c   # ties -> higher id
    return x, counts.argmax(1)


class TinyTransformer(nn.Module):
    def __init__(self, d=48):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, d)
        self.pos = nn.Parameter(torch.randn(1, L, d) * 0.02)
        layer = nn.TransformerEncoderLayer(d, 4, dim_feedforward=96, dropout=0.0, batch_first=True, norm_first=True)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d)
        self.out = nn.Linear(d, K)

    def forward(self, x):
        h = self.enc(self.emb(x) + self.pos)
        return self.out(self.norm(h.mean(1)))


xtr, ytr = make(2000)
xva, yva = make(600)
model = TinyTransformer()
ema = copy.deepcopy(model)
for p in ema.parameters():
    p.requires_grad_(False)
EPOCHS, BS, WARM = 6, 64, 30
total = EPOCHS * math.ceil(len(xtr) / BS)
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
sched = torch.optim.lr_scheduler.LambdaLR(
    opt, lambda s: (s + 1) / WARM if s < WARM else 0.5 * (1 + math.cos(math.pi * (s - WARM) / (total - WARM))))
crit = nn.CrossEntropyLoss(label_smoothing=0.1)


@torch.no_grad()
def ema_update(decay=0.99):
    for pe, pm in zip(ema.parameters(), model.parameters()):
        pe.mul_(decay).add_(pm, alpha=1 - decay)
    for be, bm in zip(ema.buffers(), model.buffers()):
        be.copy_(bm)


for epoch in range(EPOCHS):
    model.train()
    perm = torch.randperm(len(xtr))
    tot = 0.0
    for s in range(0, len(xtr), BS):
        idx = perm[s:s + BS]
        loss = crit(model(xtr[idx]), ytr[idx])
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        ema_update()
        tot += loss.item() * len(idx)
    ema.eval()
    with torch.no_grad():
        lv = ema(xva)
        val_loss = F.cross_entropy(lv, yva).item()
        val_acc = (lv.argmax(1) == yva).float().mean().item()
    train_loss = tot / len(xtr)
    print(f"epoch {epoch} train_loss(smoothed) {train_loss:.4f} ema val_loss {val_loss:.4f} val_acc {val_acc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                      "train_loss": round(train_loss, 4), "chance_acc": 1 / K}))
