# expect:
# allow:
# forbid: *
# evidence: held-out recall@1 0.988 (chance 0.025), held-out triplet loss 0.041 -> 0.014 (collapsed-embedding value 0.2) with train 0.012; per-step loss noisy (8 triplets) but epoch means fall steadily
"""Healthy: metric learning with nn.TripletMarginLoss and small, noisy batches (8 triplets).

Image-retrieval style embeddings: 40 identities, 48-d descriptors with per-identity nuisance
directions.  Triplets (anchor, positive of the same identity, random negative) are sampled on the
fly, 8 per step, so the per-step loss is very noisy.  Embedder 48-128-32 with L2-normalised
output, margin 0.2, SGD lr=0.05 momentum 0.9, 2400 steps logged every 100 as an "epoch".
Metrics: held-out recall@1 (nearest neighbour among 800 unseen items has the same identity;
chance 1/40) and the held-out triplet loss (margin 0.2 is the loss of a collapsed embedding).
"""
import json
import torch, torch.nn as nn, torch.nn.functional as F

torch.set_num_threads(1); torch.manual_seed(0)
K, D = 40, 48
cent = torch.randn(K, D); nd = torch.randn(K, 3, D) * 0.8

def items(n, g):
    y = torch.randint(0, K, (n,), generator=g)
    c = torch.randn(n, 3, generator=g)
    return cent[y] + torch.einsum("nk,nkd->nd", c, nd[y]) + 0.7 * torch.randn(n, D, generator=g), y

g = torch.Generator().manual_seed(1)
xtr, ytr = items(4000, g); xva, yva = items(800, g)
byc = [torch.nonzero(ytr == k).flatten() for k in range(K)]
net = nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Linear(128, 32))
emb = lambda x: F.normalize(net(x), dim=1)
crit = nn.TripletMarginLoss(margin=0.2)
opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)

def sample(n):
    a = torch.randint(0, len(xtr), (n,))
    p = torch.stack([byc[int(ytr[i])][torch.randint(0, len(byc[int(ytr[i])]), (1,))][0] for i in a])
    ng = torch.randint(0, len(xtr), (n,))
    return xtr[a], xtr[p], xtr[ng]

def evaluate():
    with torch.no_grad():
        e = emb(xva); s = e @ e.t(); s.fill_diagonal_(-2); r1 = float((yva[s.argmax(1)] == yva).float().mean())
        gv = torch.Generator().manual_seed(5); a = torch.arange(len(xva))
        pos = torch.stack([torch.nonzero(yva == yva[i]).flatten()[torch.randint(0, int((yva == yva[i]).sum()), (1,), generator=gv)][0] for i in a])
        neg = torch.randint(0, len(xva), (len(xva),), generator=gv)
        return float(crit(e[a], e[pos], e[neg])), r1

for epoch in range(24):
    tot = 0.0
    for _ in range(100):
        a, p, n = sample(8); loss = crit(emb(a), emb(p), emb(n))
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item()
    vl, r1 = evaluate()
    print(f"epoch {epoch+1} triplet_loss {tot/100:.4f} val_triplet_loss {vl:.4f} val_recall@1 {r1:.3f}")
with torch.no_grad():
    a, p, n = sample(2000); tl = float(crit(emb(a), emb(p), emb(n)))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_recall_at_1": round(r1, 4), "train_loss": round(tl, 4), "chance_recall_at_1": round(1 / K, 4), "collapsed_loss": 0.2}))
