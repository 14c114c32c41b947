# expect:
# allow:
# forbid: *
# evidence: recall@20 over 500 items 0.507 on held-out interactions (popularity 0.142, random 0.04); held-out in-batch CE 4.34 (ln 256 = 5.55) flat at the end, train 3.90
"""Two-tower retrieval: user tower (id embedding + 10 profile features) and item tower (id embedding +
category embedding + 6 content features), dot-product score, in-batch softmax with a learned
temperature and logQ-free uniform sampling. Evaluated by recall@20 over the full item catalogue on
held-out (user, item) interactions."""
from dataclasses import dataclass
import json
import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Config:
    n_users: int = 800
    n_items: int = 500
    n_cats: int = 12
    dim: int = 32
    batch: int = 256
    epochs: int = 8
    lr: float = 2e-3


cfg = Config()
torch.manual_seed(99)
torch.set_num_threads(1)

# ---- synthetic world: users & items live in a latent taste space
taste_u = torch.randn(cfg.n_users, 6)
taste_i = torch.randn(cfg.n_items, 6)
user_feats = torch.cat([taste_u[:, :4] + 0.5 * torch.randn(cfg.n_users, 4), torch.randn(cfg.n_users, 6)], 1)
item_cat = (taste_i[:, 0] * 2).round().clamp(-5, 6).long() + 5
item_feats = taste_i[:, 2:] + 0.3 * torch.randn(cfg.n_items, 4)
item_feats = torch.cat([item_feats, torch.randn(cfg.n_items, 2)], 1)
affinity = taste_u @ taste_i.T
probs = F.softmax(affinity * 1.5, dim=1)
inter_items = torch.multinomial(probs, 20, replacement=False)           # 20 interactions per user
users = torch.arange(cfg.n_users).repeat_interleave(20)
items = inter_items.flatten()
perm = torch.randperm(len(users))
n_test = len(users) // 10
test_u, test_i = users[perm[:n_test]], items[perm[:n_test]]
train_u, train_i = users[perm[n_test:]], items[perm[n_test:]]
seen = torch.zeros(cfg.n_users, cfg.n_items, dtype=torch.bool)
seen[train_u, train_i] = True


class Tower(nn.Module):
    def __init__(self, n_ids, n_feats, extra_cat=None):
        super().__init__()
        self.id_emb = nn.Embedding(n_ids, cfg.dim)
        self.cat_emb = nn.Embedding(extra_cat, 8) if extra_cat else None
        d_in = cfg.dim + n_feats + (8 if extra_cat else 0)
        self.mlp = nn.Sequential(nn.Linear(d_in, 64), nn.ReLU(), nn.Linear(64, cfg.dim))
        nn.init.normal_(self.id_emb.weight, std=0.05)

    def forward(self, ids, feats, cats=None):
        parts = [self.id_emb(ids), feats]
        if self.cat_emb is not None:
            parts.append(self.cat_emb(cats))
        return F.normalize(self.mlp(torch.cat(parts, 1)), dim=1)


user_tower = Tower(cfg.n_users, 10)
item_tower = Tower(cfg.n_items, 6, extra_cat=cfg.n_cats)
log_temp = nn.Parameter(torch.tensor(2.3))
params = list(user_tower.parameters()) + list(item_tower.parameters()) + [log_temp]
opt = torch.optim.AdamW(params, lr=cfg.lr, weight_decay=1e-4)


def all_items():
    ids = torch.arange(cfg.n_items)
    return item_tower(ids, item_feats, item_cat)


def in_batch_loss(u, i):
    qu = user_tower(u, user_feats[u])
    vi = item_tower(i, item_feats[i], item_cat[i])
    logits = qu @ vi.T * log_temp.exp()
    same = i[:, None] == i[None, :]
    logits = logits.masked_fill(same & ~torch.eye(len(i), dtype=torch.bool), -1e4)  # duplicate items are not negatives
    return F.cross_entropy(logits, torch.arange(len(u)))


@torch.no_grad()
def recall_at(k=20):
    users_all = torch.arange(cfg.n_users)
    scores = user_tower(users_all, user_feats) @ all_items().T
    scores[seen] = -1e9
    topk = scores.topk(k, dim=1).indices
    hit = (topk[test_u] == test_i[:, None]).any(1).float().mean().item()
    return hit


for epoch in range(cfg.epochs):
    order = torch.randperm(len(train_u))
    tot = 0.0
    nb = 0
    for s in range(0, len(order), cfg.batch):
        b = order[s:s + cfg.batch]
        loss = in_batch_loss(train_u[b], train_i[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item()
        nb += 1
    with torch.no_grad():
        g = torch.Generator().manual_seed(0)
        vb = torch.randperm(n_test, generator=g)[:cfg.batch]
        val_loss = in_batch_loss(test_u[vb], test_i[vb]).item()
    rec = recall_at(20)
    print(f"epoch {epoch + 1:2d} train_inbatch_ce {tot / nb:.4f} val_inbatch_ce {val_loss:.4f} recall@20 {rec:.3f} temp {log_temp.exp().item():.1f}")

pop = torch.bincount(train_i, minlength=cfg.n_items).float()
pop_scores = pop.expand(cfg.n_users, -1).clone()
pop_scores[seen] = -1e9
pop_rec = (pop_scores.topk(20, 1).indices[test_u] == test_i[:, None]).any(1).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "train_loss": round(tot / nb, 4), "recall_at_20": round(rec, 4),
                                      "popularity_recall_at_20": round(pop_rec, 4), "chance_recall_at_20": round(20 / 482, 4)}))
