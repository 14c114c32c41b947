"""Where is the marker? (first half vs second half) -- a 4-layer POST-LN encoder done properly.

Order-dependent (the bag of tokens does not tell), so learned positions are essential.
Post-LN is fragile early in training, so: linear warm-up over the first 10% of steps then
cosine (LambdaLR), AdamW with decay on weight matrices only, grad-norm clipping at 0.5,
dropout 0.1, label smoothing 0.05, [CLS] token.
"""
# expect:
# allow:
# forbid: *
# evidence: healthy; val acc 1.00 (majority 0.52), val loss 0.023, train acc 1.00; running train loss sits flat at 0.117 from epoch 2 = label-smoothing (0.05) + dropout floor, not a plateau problem
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(2024)
gen = torch.Generator().manual_seed(2024)

V, L = 8, 12
CLS = V  # extra token id


MARK = 0


def build(n):
    x = torch.randint(1, V, (n, L), generator=gen)
    where = torch.randint(0, L, (n,), generator=gen)
    x[torch.arange(n), where] = MARK
    return x, (where < L // 2).long()


Xtr, Ytr = build(3000)
Xva, Yva = build(1000)


class PostLNEncoderLayer(nn.Module):
    def __init__(self, d_model, nhead, dim_ff, dropout):
        super().__init__()
        self.nhead = nhead
        self.Wqkv = nn.Linear(d_model, 3 * d_model)
        self.Wo = nn.Linear(d_model, d_model)
        self.lin1, self.lin2 = nn.Linear(d_model, dim_ff), nn.Linear(dim_ff, d_model)
        self.norm1, self.norm2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.drop = nn.Dropout(dropout)

    def _sa(self, x):
        B, T, D = x.shape
        qkv = self.Wqkv(x).view(B, T, 3, self.nhead, D // self.nhead)
        q, k, v = qkv.permute(2, 0, 3, 1, 4)
        a = torch.softmax(torch.einsum("bhid,bhjd->bhij", q, k) * (D // self.nhead) ** -0.5, dim=-1)
        return self.Wo(torch.einsum("bhij,bhjd->bhid", self.drop(a), v).transpose(1, 2).reshape(B, T, D))

    def forward(self, x):
        x = self.norm1(x + self.drop(self._sa(x)))
        return self.norm2(x + self.drop(self.lin2(self.drop(F.relu(self.lin1(x))))))


class MarkerHalfClassifier(nn.Module):
    def __init__(self, d=32, nhead=4, layers=4):
        super().__init__()
        self.tok = nn.Embedding(V + 1, d)
        self.pos = nn.Embedding(L + 1, d)
        self.enc = nn.ModuleList(PostLNEncoderLayer(d, nhead, 2 * d, 0.1) for _ in range(layers))
        self.out = nn.Linear(d, 2)

    def forward(self, x):
        x = torch.cat([torch.full((x.size(0), 1), CLS), x], 1)
        h = self.tok(x) + self.pos(torch.arange(x.size(1)))
        for layer in self.enc:
            h = layer(h)
        return self.out(h[:, 0])


model = MarkerHalfClassifier()
decay, no_decay = [], []
for name, p in model.named_parameters():
    (decay if p.dim() == 2 and "tok" not in name and "pos" not in name else no_decay).append(p)
optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": no_decay, "weight_decay": 0.0}],
                              lr=2e-3, betas=(0.9, 0.98))
EPOCHS, BS = 5, 64
total = EPOCHS * math.ceil(len(Xtr) / BS)
warmup = total // 10


def lr_at(step):
    if step < warmup:
        return (step + 1) / warmup
    return 0.5 * (1.0 + math.cos(math.pi * (step - warmup) / (total - warmup)))


scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_at)
for epoch in range(EPOCHS):
    model.train()
    order = torch.randperm(len(Xtr))
    agg = 0.0
    for i in range(0, len(order), BS):
        b = order[i:i + BS]
        loss = F.cross_entropy(model(Xtr[b]), Ytr[b], label_smoothing=0.05)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 0.5)
        optimizer.step()
        scheduler.step()
        agg += loss.item() * len(b)
    model.eval()
    with torch.no_grad():
        logits = model(Xva)
        vloss = F.cross_entropy(logits, Yva).item()
        vacc = (logits.argmax(1) == Yva).float().mean().item()
    print(f"epoch {epoch + 1}/{EPOCHS} lr {scheduler.get_last_lr()[0]:.2e} train {agg / len(Xtr):.4f} val {vloss:.4f} acc {vacc:.4f}")

with torch.no_grad():
    tacc = (model(Xtr[:2000]).argmax(1) == Ytr[:2000]).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4), "train_loss": round(agg / len(Xtr), 4),
                                     "train_acc": round(tacc, 4), "chance_acc": round(max(Yva.float().mean().item(), 1 - Yva.float().mean().item()), 4)}))
