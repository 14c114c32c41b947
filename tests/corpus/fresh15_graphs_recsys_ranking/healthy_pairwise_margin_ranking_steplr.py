# expect:
# allow:
# forbid: *
# evidence: hinge loss floor 0.178 train / 0.192 val (noisy grades), val NDCG@5 0.780 -> 0.878 (random 0.275), val loss monotone down through StepLR drops
"""Pairwise learning to rank: MarginRankingLoss(margin=1) over all preference pairs inside each
query, SGD + momentum, StepLR. The hinge loss keeps a floor above zero (noisy grades make some
pairs unsatisfiable) while val NDCG@5 rises to a good level."""
import os, sys, json, random, tempfile, csv
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

# synthetic learning-to-rank data: queries x 20 candidate docs x 12 features, graded relevance 0..3
NQ_TR, NQ_VA, ND, DF = 300, 80, 20, 12
w1, w2 = np.random.randn(DF), np.random.randn(DF) / np.sqrt(DF)
def make_queries(nq):
    X = np.random.randn(nq, ND, DF) + 0.5 * np.random.randn(nq, 1, DF)      # query-level shift
    s = np.tanh(X @ w1 / 3) * 2 + (X @ w2) ** 2 * 0.5 + 0.5 * np.random.randn(nq, ND)
    q = np.quantile(s, [0.5, 0.8, 0.95], axis=1).T                            # per-query grades
    rel = (s[:, :, None] > q[:, None, :]).sum(-1)
    return torch.tensor(X, dtype=torch.float32), torch.tensor(rel, dtype=torch.float32)
Xtr, Rtr = make_queries(NQ_TR); Xva, Rva = make_queries(NQ_VA)

def ndcg_at_k(scores, rel, k=5):
    idx = scores.argsort(dim=1, descending=True)[:, :k]
    disc = 1.0 / torch.log2(torch.arange(2, k + 2, dtype=torch.float32))
    dcg = ((2 ** rel.gather(1, idx) - 1) * disc).sum(1)
    ideal = ((2 ** rel.sort(dim=1, descending=True).values[:, :k] - 1) * disc).sum(1)
    return (dcg / ideal.clamp(min=1e-9)).mean().item()
def random_ndcg(rel, k=5, reps=20):
    g = torch.Generator().manual_seed(1)
    return float(np.mean([ndcg_at_k(torch.rand(rel.shape, generator=g), rel, k) for _ in range(reps)]))

scorer = nn.Sequential(nn.Linear(DF, 64), nn.ReLU(), nn.Linear(64, 1))
crit = nn.MarginRankingLoss(margin=1.0)
def pair_loss(s, rel):
    # all ordered pairs (i, j) inside each query with rel_i > rel_j
    m = rel[:, :, None] > rel[:, None, :]
    si = s[:, :, None].expand_as(m)[m]; sj = s[:, None, :].expand_as(m)[m]
    return crit(si, sj, torch.ones_like(si))
opt = torch.optim.SGD(scorer.parameters(), lr=0.02, momentum=0.9)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=6, gamma=0.3)
print(f"random-ranking val NDCG@5 {random_ndcg(Rva):.3f}")
for ep in range(15):
    perm = torch.randperm(NQ_TR); tl = []
    for b in perm.split(8):
        loss = pair_loss(scorer(Xtr[b]).squeeze(-1), Rtr[b])
        opt.zero_grad(); loss.backward(); opt.step(); tl.append(loss.item())
    sched.step()
    with torch.no_grad():
        sv = scorer(Xva).squeeze(-1); vl = pair_loss(sv, Rva).item(); nd = ndcg_at_k(sv, Rva)
    if ep % 2 == 0 or ep == 14: print(f"epoch {ep} lr {sched.get_last_lr()[0]:.4f} train_loss {np.mean(tl):.4f} val_loss {vl:.4f} val_ndcg@5 {nd:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_ndcg_at_5": round(nd, 4), "train_loss": round(float(np.mean(tl)), 4),
      "random_ndcg_at_5": round(random_ndcg(Rva), 4)}))
