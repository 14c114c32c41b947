# Transaction-sequence "fraud" detector: 32 tokenised transactions per account, one self-attention
# layer + attention pooling (learned query), binary head. Positives are 3% of accounts. Trained
# with plain cross-entropy and judged by accuracy -- which is 0.97 for "never fraud".
# --control: the same model with a class-weighted loss (inverse frequency), nothing else changed.
#
# expect: class_imbalance
# allow: high_bias, non_convergence
# forbid: *
# evidence: planted (unweighted CE): val_acc 0.968 vs majority 0.964, fraud recall 0.19, balanced acc 0.59; control (class weights): fraud recall 0.74, balanced acc 0.80 (val_acc 0.845)
# control: --control
import json
import math
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(8)
gen = torch.Generator().manual_seed(8)
WEIGHTED = "--control" in sys.argv

N_TOK, T = 40, 32
RISKY = torch.arange(30, 40)  # merchant codes that fraudsters over-use


def simulate(n, pos_rate=0.03):
    y = (torch.rand(n, generator=gen) < pos_rate).long()
    x = torch.randint(0, 30, (n, T), generator=gen)
    # everyone sometimes uses a risky merchant; fraud accounts use them more often
    p_risky = torch.where(y.bool(), torch.full((n,), 0.18), torch.full((n,), 0.08))
    risky_mask = torch.rand(n, T, generator=gen) < p_risky[:, None]
    x[risky_mask] = RISKY[torch.randint(0, 10, (int(risky_mask.sum()),), generator=gen)]
    return x, y


x_train, y_train = simulate(5000)
x_val, y_val = simulate(2500)


class AttnPoolNet(nn.Module):
    def __init__(self, d=32, heads=2):
        super().__init__()
        self.embed = nn.Embedding(N_TOK, d)
        self.pos = nn.Parameter(torch.randn(T, d) * 0.02)
        self.norm = nn.LayerNorm(d)
        self.mha = nn.MultiheadAttention(d, heads, batch_first=True)
        self.query = nn.Parameter(torch.randn(1, 1, d) * 0.02)
        self.pool_k = nn.Linear(d, d)
        self.cls = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2))

    def forward(self, x):
        h = self.embed(x) + self.pos
        hn = self.norm(h)
        h = h + self.mha(hn, hn, hn, need_weights=False)[0]
        scores = (self.pool_k(h) @ self.query.transpose(1, 2)).squeeze(-1) / math.sqrt(h.shape[-1])
        pooled = (scores.softmax(-1).unsqueeze(-1) * h).sum(1)
        return self.cls(pooled)


model = AttnPoolNet()
if WEIGHTED:
    cnt = torch.bincount(y_train, minlength=2).float()
    criterion = nn.CrossEntropyLoss(weight=cnt.sum() / (2 * cnt))
else:
    criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(8):
    model.train()
    perm = torch.randperm(len(x_train))
    total = 0.0
    for i in range(0, len(perm), 100):
        b = perm[i:i + 100]
        loss = criterion(model(x_train[b]), y_train[b])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(b)
    model.eval()
    with torch.no_grad():
        out = model(x_val)
        pred = out.argmax(1)
        acc = (pred == y_val).float().mean().item()
        vloss = F.cross_entropy(out, y_val).item()
    print(f"epoch {epoch} train loss {total / len(x_train):.4f} val loss {vloss:.4f} val acc {acc:.4f}")

tp = ((pred == 1) & (y_val == 1)).sum().item()
recall_pos = tp / max(1, (y_val == 1).sum().item())
recall_neg = ((pred == 0) & (y_val == 0)).sum().item() / (y_val == 0).sum().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(acc, 4),
                                     "val_recall_fraud": round(recall_pos, 4),
                                     "val_balanced_acc": round((recall_pos + recall_neg) / 2, 4),
                                     "train_loss": round(total / len(x_train), 4),
                                     "majority_acc": round(1 - y_val.float().mean().item(), 4)}))
