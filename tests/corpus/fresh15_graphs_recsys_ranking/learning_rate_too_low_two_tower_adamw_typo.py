# expect: learning_rate_too_low
# allow: non_convergence
# forbid: *
# evidence: control (AdamW lr=5e-4) train_loss 3.89, recall@10 0.302; planted (lr=5e-7) train_loss 6.01->5.94 in 12 epochs, recall@10 0.033->0.034 (chance 0.025)
# control: --control
# native-log: train_log.jsonl
# log-expect:
# log-allow: learning_rate_too_low, non_convergence
"""PLANTED: AdamW lr typed as 5e-7 instead of 5e-4.
Two-tower retrieval with in-batch negatives (sampled softmax / InfoNCE, temperature 0.1).
The in-batch loss has a floor well above zero by design (users like several items, in-batch
'negatives' are often good items too) while recall@10 on held-out interactions keeps rising."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
LR = 5e-4 if "--control" in sys.argv else 5e-7  # planted: meant 5e-4, typed 5e-7

NU, NI, K, DF = 1000, 400, 6, 24
Zu = np.random.randn(NU, K); Zi = np.random.randn(NI, K)
Pu = np.random.randn(K, DF) / np.sqrt(K); Pi = np.random.randn(K, DF) / np.sqrt(K)
Fu = torch.tensor(Zu @ Pu + 0.3 * np.random.randn(NU, DF), dtype=torch.float32)
Fi = torch.tensor(Zi @ Pi + 0.3 * np.random.randn(NI, DF), dtype=torch.float32)
logits = 1.5 * Zu @ Zi.T
pairs_tr, held = [], {}
for u in range(NU):
    p = np.exp(logits[u] - logits[u].max()); p /= p.sum()
    items = np.random.choice(NI, 12, replace=False, p=p)
    pairs_tr += [(u, i) for i in items[:10]]; held[u] = set(items[10:].tolist())
pairs_tr = torch.tensor(pairs_tr)
seen = {}
for u, i in pairs_tr.tolist(): seen.setdefault(u, set()).add(i)

class Tower(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(DF, 64), nn.ReLU(), nn.Linear(64, 32))
    def forward(self, f): return F.normalize(self.net(f), dim=-1)

ut, it = Tower(), Tower()
opt = torch.optim.AdamW(list(ut.parameters()) + list(it.parameters()), lr=LR, weight_decay=1e-2)
TAU = 0.1

def recall_at_10():
    with torch.no_grad():
        s = ut(Fu) @ it(Fi).T
        for u, items in seen.items(): s[u, list(items)] = -1e9
        top = s.topk(10, dim=1).indices.tolist()
    hits = sum(len(held[u] & set(top[u])) for u in range(NU))
    return hits / sum(len(h) for h in held.values())

def val_loss():
    with torch.no_grad():
        vp = torch.tensor([(u, i) for u in range(NU) for i in held[u]])
        tot = 0.0; nb = 0
        for b in vp.split(256):
            s = ut(Fu[b[:, 0]]) @ it(Fi[b[:, 1]]).T / TAU
            tot += F.cross_entropy(s, torch.arange(len(b))).item(); nb += 1
        return tot / nb

log = open(os.path.join(LOG_DIR, "train_log.jsonl"), "w")
step = 0
for ep in range(12):
    perm = torch.randperm(len(pairs_tr)); tl = []
    for b in pairs_tr[perm].split(256):
        s = ut(Fu[b[:, 0]]) @ it(Fi[b[:, 1]]).T / TAU
        loss = F.cross_entropy(s, torch.arange(len(b)))
        opt.zero_grad(); loss.backward(); opt.step(); tl.append(loss.item()); step += 1
    r = recall_at_10(); vl = val_loss()
    rec = {"epoch": ep, "step": step, "train_loss": round(float(np.mean(tl)), 5), "val_loss": round(vl, 5),
           "val_recall_at_10": round(r, 4), "lr": LR}
    log.write(json.dumps(rec) + "\n")
    print(rec)
log.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_recall_at_10": round(r, 4),
      "train_loss": round(float(np.mean(tl)), 4), "chance_recall_at_10": round(10 / NI, 4)}))
