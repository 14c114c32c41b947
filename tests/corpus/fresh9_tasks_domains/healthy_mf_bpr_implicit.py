# expect:
# allow: overfitting
# forbid: *
# evidence: held-out BPR AUC 0.86 and recall@10 0.67 (random ranking: AUC 0.5, recall@10 ~0.06); val BPR loss 0.29 min, 0.32 at end (mild drift, L2-regularised)
"""Implicit-feedback matrix factorisation trained with BPR; evaluated by held-out AUC and recall@10."""
import json
import torch
import torch.nn as nn

torch.manual_seed(0)
torch.set_num_threads(1)

n_users, n_items, true_k = 300, 200, 6
U_true = torch.randn(n_users, true_k)
V_true = torch.randn(n_items, true_k)
affinity = U_true @ V_true.T
# each user interacts with their top 15% items (plus a bit of noise)
noisy = affinity + 0.5 * torch.randn_like(affinity)
thresh = noisy.quantile(0.85, dim=1, keepdim=True)
interactions = (noisy > thresh)
pos_pairs = interactions.nonzero()
perm = torch.randperm(len(pos_pairs))
n_test = len(pos_pairs) // 5
test_pairs = pos_pairs[perm[:n_test]]
train_pairs = pos_pairs[perm[n_test:]]
train_mask = torch.zeros(n_users, n_items, dtype=torch.bool)
train_mask[train_pairs[:, 0], train_pairs[:, 1]] = True


class MF(nn.Module):
    def __init__(self, nu, ni, dim=32):
        super().__init__()
        self.user = nn.Embedding(nu, dim)
        self.item = nn.Embedding(ni, dim)
        self.item_bias = nn.Embedding(ni, 1)
        nn.init.normal_(self.user.weight, std=0.1)
        nn.init.normal_(self.item.weight, std=0.1)
        nn.init.zeros_(self.item_bias.weight)

    def forward(self, u, i):
        return (self.user(u) * self.item(i)).sum(-1) + self.item_bias(i).squeeze(-1)


model = MF(n_users, n_items)
opt = torch.optim.Adam(model.parameters(), lr=0.01)
reg = 2e-3


def sample_negatives(users):
    neg = torch.randint(0, n_items, (len(users),))
    # resample those that are positives (one pass is enough here)
    bad = train_mask[users, neg]
    neg[bad] = torch.randint(0, n_items, (int(bad.sum()),))
    return neg


def bpr_loss(u, p, n):
    x = model(u, p) - model(u, n)
    l2 = model.user(u).pow(2).sum(-1) + model.item(p).pow(2).sum(-1) + model.item(n).pow(2).sum(-1)
    return -nn.functional.logsigmoid(x).mean() + reg * l2.mean()


@torch.no_grad()
def evaluate():
    scores = model.user.weight @ model.item.weight.T + model.item_bias.weight.T
    # held-out BPR loss on test positives
    u, p = test_pairs[:, 0], test_pairs[:, 1]
    g = torch.Generator().manual_seed(1)
    n = torch.randint(0, n_items, (len(u),), generator=g)
    val_loss = -nn.functional.logsigmoid(scores[u, p] - scores[u, n]).mean().item()
    auc = (scores[u, p] > scores[u, n]).float().mean().item()
    scores[train_mask] = -1e9
    top10 = scores.topk(10, dim=1).indices
    test_mask = torch.zeros_like(train_mask)
    test_mask[u, p] = True
    hits = test_mask.gather(1, top10).sum(1).float()
    denom = test_mask.sum(1).clamp(max=10).float()
    ok = denom > 0
    recall = (hits[ok] / denom[ok]).mean().item()
    return val_loss, auc, recall


batch = 512
for epoch in range(30):
    perm = torch.randperm(len(train_pairs))
    tot = 0.0
    for s in range(0, len(perm), batch):
        idx = perm[s:s + batch]
        u, p = train_pairs[idx, 0], train_pairs[idx, 1]
        n = sample_negatives(u)
        loss = bpr_loss(u, p, n)
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(idx)
    train_loss = tot / len(train_pairs)
    if epoch % 5 == 4:
        vl, auc, rec = evaluate()
        print(f"epoch {epoch+1:2d} train_bpr {train_loss:.4f} val_bpr {vl:.4f} auc {auc:.3f} recall@10 {rec:.3f}")

vl, auc, rec = evaluate()
# random ranking would give recall@10 ~ 10/(200-~24) and AUC 0.5
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "train_loss": round(train_loss, 4),
                                      "val_auc": round(auc, 4), "recall_at_10": round(rec, 4),
                                      "chance_auc": 0.5, "chance_recall_at_10": round(10 / 176, 4)}))
