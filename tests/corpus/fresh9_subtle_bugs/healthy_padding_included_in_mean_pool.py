# expect:
# allow:
# forbid: *
# evidence: does little harm, so labelled healthy: as written (pad row in the mean) val_acc 0.958, val_loss 0.114, train_loss 0.078; with padding_idx=0 + masked mean (--control) val_acc 0.977, val_loss 0.065 (majority 0.555)
# Bag-of-embeddings text classifier. Reviews are 4-40 tokens, padded to 128 with token 0.
# The embedding has no padding_idx and the pooling is a plain .mean(dim=1) over all 128
# positions, so the (trainable) pad row dominates every sentence vector and the real
# tokens are diluted by a length-dependent factor. It turns out to cost little (~2 points):
# the MLP learns to undo the dilution. (--control switches to padding_idx=0 + masked mean.)
import sys, json, random
import torch
import torch.nn as nn
import torch.nn.functional as F

random.seed(0); torch.manual_seed(0); torch.set_num_threads(1)
CONTROL = "--control" in sys.argv
V, L = 400, 128
POS, NEG = list(range(1, 31)), list(range(31, 61))   # sentiment words; 61.. neutral


def review():
    n = random.randint(4, 40)
    toks = [random.randint(61, V - 1) for _ in range(n)]
    npos, nneg = random.randint(0, 4), random.randint(0, 4)
    while npos == nneg:
        nneg = random.randint(0, 4)
    for _ in range(npos):
        toks[random.randrange(n)] = random.choice(POS)
    for _ in range(nneg):
        toks[random.randrange(n)] = random.choice(NEG)
    label = int(sum(t in POS for t in toks) > sum(t in NEG for t in toks))
    return toks + [0] * (L - n), label


def batchify(rows):
    return torch.tensor([r[0] for r in rows]), torch.tensor([r[1] for r in rows])


train = batchify([review() for _ in range(3000)])
val = batchify([review() for _ in range(1000)])


class BagModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, 32, padding_idx=0 if CONTROL else None)
        self.mlp = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 2))

    def forward(self, ids):
        e = self.emb(ids)
        if CONTROL:
            mask = (ids != 0).unsqueeze(-1).float()
            pooled = (e * mask).sum(1) / mask.sum(1)
        else:
            pooled = e.mean(dim=1)
        return self.mlp(pooled)


model = BagModel()
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
for epoch in range(15):
    perm = torch.randperm(3000); tl = 0.0
    for i in range(0, 3000, 50):
        b = perm[i:i + 50]
        loss = F.cross_entropy(model(train[0][b]), train[1][b])
        opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() / 60
    with torch.no_grad():
        o = model(val[0]); vl = F.cross_entropy(o, val[1]).item(); va = (o.argmax(1) == val[1]).float().mean().item()
    print(f"epoch {epoch:2d}  train_loss {tl:.4f}  val_loss {vl:.4f}  val_acc {va:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": tl, "chance_acc": max(val[1].float().mean().item(), 1 - val[1].float().mean().item())}))
