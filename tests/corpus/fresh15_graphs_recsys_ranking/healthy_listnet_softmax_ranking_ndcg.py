# expect:
# allow:
# forbid: *
# evidence: ListNet loss flattens at 2.61 train / 2.62 val (floor = target entropy 2.46), val NDCG@5 0.730 -> 0.871 (random ranking 0.268), val loss still falling at the end
# native-log: ltr_listnet.csv
# log-expect:
# log-allow:
"""Listwise learning to rank (ListNet: cross-entropy between softmax of graded relevance and
softmax of the scores). The listwise loss has an irreducible floor far above zero (the target
distribution itself has entropy), so it flattens early while val NDCG@5 keeps improving."""
import os, sys, json, random, tempfile, csv
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

# synthetic learning-to-rank data: queries x 20 candidate docs x 12 features, graded relevance 0..3
NQ_TR, NQ_VA, ND, DF = 600, 100, 20, 12
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

scorer = nn.Sequential(nn.Linear(DF, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.AdamW(scorer.parameters(), lr=1e-3, weight_decay=1e-2)
def listnet(scores, rel):
    return -(F.softmax(rel, dim=1) * F.log_softmax(scores, dim=1)).sum(1).mean()
f = open(os.path.join(LOG_DIR, "ltr_listnet.csv"), "w", newline=""); w = csv.writer(f)
w.writerow(["epoch", "train_loss", "val_loss", "val_metric"])
print(f"random-ranking val NDCG@5 {random_ndcg(Rva):.3f}; loss floor (target entropy) {-(F.softmax(Rtr,1)*F.log_softmax(Rtr,1)).sum(1).mean():.3f}")
for ep in range(15):
    perm = torch.randperm(NQ_TR); tl = []
    for b in perm.split(32):
        loss = listnet(scorer(Xtr[b]).squeeze(-1), Rtr[b])
        opt.zero_grad(); loss.backward(); opt.step(); tl.append(loss.item())
    with torch.no_grad():
        sv = scorer(Xva).squeeze(-1); vl = listnet(sv, Rva).item(); nd = ndcg_at_k(sv, Rva)
    w.writerow([ep, round(float(np.mean(tl)), 5), round(vl, 5), round(nd, 5)])
    if ep % 2 == 0 or ep == 14: print(f"epoch {ep} train_loss {np.mean(tl):.4f} val_loss {vl:.4f} val_ndcg@5 {nd:.4f}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_ndcg_at_5": round(nd, 4), "train_loss": round(float(np.mean(tl)), 4),
      "random_ndcg_at_5": round(random_ndcg(Rva), 4)}))
