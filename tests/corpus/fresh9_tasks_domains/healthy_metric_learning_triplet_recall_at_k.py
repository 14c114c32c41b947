# expect:
# allow:
# forbid: *
# evidence: on 30 unseen identities R@1 0.983, R@5 1.000 (raw-feature cosine R@1 0.273, chance 0.03); batch-hard triplet on the full unseen set 0.169 (falling from 0.234), train set 0.083
"""Deep metric learning for retrieval: train an embedding on 60 'identities', test retrieval on 30
UNSEEN identities (query vs. gallery), recall@1/@5. Inputs are 64-d descriptors where the identity
signal lives in a few directions and large nuisance variation (pose/lighting) lives in others.
Batch-hard triplet loss on P x K batches, L2-normalised 32-d embeddings."""
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(8)
torch.set_num_threads(1)
D_IN, D_ID, D_NUIS = 64, 12, 20
g = torch.Generator().manual_seed(1)
A_id = torch.randn(D_ID, D_IN, generator=g) / D_ID ** 0.5
A_nuis = torch.randn(D_NUIS, D_IN, generator=g) / D_NUIS ** 0.5 * 2.0


def identities(n_ids, per_id, seed):
    gg = torch.Generator().manual_seed(seed)
    protos = torch.randn(n_ids, D_ID, generator=gg)
    labels = torch.arange(n_ids).repeat_interleave(per_id)
    z = protos[labels] + 0.35 * torch.randn(len(labels), D_ID, generator=gg)
    nuis = torch.randn(len(labels), D_NUIS, generator=gg)
    x = z @ A_id + nuis @ A_nuis + 0.1 * torch.randn(len(labels), D_IN, generator=gg)
    return x, labels


x_tr, y_tr = identities(60, 30, 2)
x_te, y_te = identities(30, 10, 3)   # unseen identities


class Embedder(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(D_IN, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Linear(128, 32))

    def forward(self, x):
        return F.normalize(self.net(x), dim=1)


def batch_hard_triplet(emb, labels, margin=0.2):
    dist = torch.cdist(emb, emb)
    same = labels[:, None] == labels[None, :]
    hardest_pos = (dist * same.float()).max(1).values
    hardest_neg = (dist + 10.0 * same.float()).min(1).values
    return F.relu(hardest_pos - hardest_neg + margin).mean()


def recall_at_k(emb, labels, ks=(1, 5)):
    d = torch.cdist(emb, emb)
    d.fill_diagonal_(float("inf"))
    nn_idx = d.topk(max(ks), largest=False).indices
    hit = labels[nn_idx] == labels[:, None]
    return {k: hit[:, :k].any(1).float().mean().item() for k in ks}


model = Embedder()
opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
raw = recall_at_k(F.normalize(x_te, dim=1), y_te)
print(f"raw-feature baseline on unseen ids: R@1 {raw[1]:.3f} R@5 {raw[5]:.3f}")

P, K = 16, 8
for it in range(1, 601):
    ids = torch.randperm(60)[:P]
    idx = torch.cat([torch.nonzero(y_tr == i).squeeze(1)[torch.randperm(30)[:K]] for i in ids])
    loss = batch_hard_triplet(model(x_tr[idx]), y_tr[idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
    if it % 100 == 0:
        model.eval()
        with torch.no_grad():
            r = recall_at_k(model(x_te), y_te)
            val_loss = batch_hard_triplet(model(x_te), y_te).item()
        model.train()
        print(f"iter {it}: train triplet {loss.item():.4f} | unseen-id triplet {val_loss:.4f} R@1 {r[1]:.3f} R@5 {r[5]:.3f}")

model.eval()
with torch.no_grad():
    train_loss = batch_hard_triplet(model(x_tr), y_tr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "train_loss": round(train_loss, 4),
                                      "recall_at_1": round(r[1], 4), "recall_at_5": round(r[5], 4),
                                      "raw_recall_at_1": round(raw[1], 4), "chance_recall_at_1": round(9 / 299, 4)}))
