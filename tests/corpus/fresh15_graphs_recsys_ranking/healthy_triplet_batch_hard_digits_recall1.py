# expect:
# allow:
# forbid: *
# evidence: val Recall@1 0.829 (untrained net) -> 0.930 (epoch 0) -> 0.984 (chance 0.1); batch-hard triplet loss 0.263 -> 0.001, val triplet loss 0.217 -> 0.007
"""Metric learning: an MLP embedder (L2-normalised 16-d output) trained on digits with the
batch-hard triplet loss (margin 0.2, P=10 classes x K=8 samples per batch, 20 sampled batches per
"epoch"). Batch loss is noisy (the hardest triplets of each fresh batch); held-out Recall@1 is the
nearest neighbour among val embeddings (excluding itself)."""
import os, sys, json, random
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)

X, y = load_digits(return_X_y=True)
X = torch.tensor(X / 16.0, dtype=torch.float32); y = torch.tensor(y)
perm = torch.randperm(len(X)); tr, va = perm[:1300], perm[1300:]
by_class = {c: tr[y[tr] == c] for c in range(10)}

net = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 16))
embed = lambda x: F.normalize(net(x), dim=1)
opt = torch.optim.Adam(net.parameters(), lr=1e-3)

def batch_hard(e, lab, margin=0.2):
    d = torch.cdist(e, e)
    same = lab[:, None] == lab[None, :]
    hardest_pos = (d * same.float()).max(1).values
    hardest_neg = d.masked_fill(same, 1e9).min(1).values
    return F.relu(hardest_pos - hardest_neg + margin).mean()

def recall_at_1():
    with torch.no_grad():
        e = embed(X[va]); d = torch.cdist(e, e); d.fill_diagonal_(1e9)
        return (y[va][d.argmin(1)] == y[va]).float().mean().item()

print(f"epoch -1 recall@1 {recall_at_1():.4f}")
for ep in range(14):
    tl = []
    for _ in range(20):
        b = torch.cat([by_class[c][torch.randint(0, len(by_class[c]), (8,))] for c in range(10)])
        loss = batch_hard(embed(X[b]), y[b]); opt.zero_grad(); loss.backward(); opt.step(); tl.append(loss.item())
    with torch.no_grad():
        vb = torch.cat([va[y[va] == c][:8] for c in range(10)]); vl = batch_hard(embed(X[vb]), y[vb]).item()
    r1 = recall_at_1()
    if ep % 3 == 0 or ep == 13: print(f"epoch {ep} triplet_loss {np.mean(tl):.4f} val_triplet_loss {vl:.4f} val_recall@1 {r1:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_recall_at_1": round(r1, 4), "train_loss": round(float(np.mean(tl)), 4), "chance_recall_at_1": 0.1}))
