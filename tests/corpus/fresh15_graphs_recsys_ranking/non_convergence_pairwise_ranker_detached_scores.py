# expect: non_convergence
# allow: high_bias, learning_rate_too_low, vanishing_gradients
# forbid: *
# evidence: planted (scores detached): pairwise hinge loss 0.964 -> 1.000 (never decreases; L2 only shrinks the scores), val NDCG@5 0.39 -> 0.307 (random 0.272); control (no detach) train_loss 0.201, val NDCG@5 0.822
# control: --control
# native-log: tb_ranker
# log-expect: non_convergence
# log-allow: high_bias, learning_rate_too_low
"""PLANTED: the scores are .detach()'ed (they were first computed to mine pairs and then reused for
the loss), so the ranking loss sends no gradient into the scorer; only the small L2 term does,
which backward() happily accepts. Loss never goes down, NDCG stays at the random-init level.
Control: the same code without the .detach(). Logged with torch.utils.tensorboard."""
import os, sys, json, random, tempfile, csv
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

# synthetic learning-to-rank data: queries x 20 candidate docs x 12 features, graded relevance 0..3
NQ_TR, NQ_VA, ND, DF = 400, 100, 20, 12
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
from torch.utils.tensorboard import SummaryWriter
tb = SummaryWriter(os.path.join(LOG_DIR, "tb_ranker"))
opt = torch.optim.Adam(scorer.parameters(), lr=1e-3)
print(f"random-ranking val NDCG@5 {random_ndcg(Rva):.3f}")
step = 0
for ep in range(15):
    perm = torch.randperm(NQ_TR); tl = []
    for b in perm.split(16):
        scores = scorer(Xtr[b]).squeeze(-1)
        if not CONTROL:
            scores = scores.detach()             # planted: was only meant for pair mining
        l2 = sum((p ** 2).sum() for p in scorer.parameters())
        rank_loss = pair_loss(scores, Rtr[b])
        loss = rank_loss + 1e-4 * l2
        opt.zero_grad(); loss.backward(); opt.step(); tl.append(rank_loss.item()); step += 1
        tb.add_scalar("train/loss", rank_loss.item(), step)
    with torch.no_grad():
        sv = scorer(Xva).squeeze(-1); vl = pair_loss(sv, Rva).item(); nd = ndcg_at_k(sv, Rva)
    tb.add_scalar("val/loss", vl, step); tb.add_scalar("val/ndcg_at_5", nd, step); tb.add_scalar("lr", 1e-3, step)
    if ep % 2 == 0 or ep == 14: print(f"epoch {ep} train_loss {np.mean(tl):.4f} val_loss {vl:.4f} val_ndcg@5 {nd:.4f}")
tb.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_ndcg_at_5": round(nd, 4), "train_loss": round(float(np.mean(tl)), 4),
      "random_ndcg_at_5": round(random_ndcg(Rva), 4)}))
