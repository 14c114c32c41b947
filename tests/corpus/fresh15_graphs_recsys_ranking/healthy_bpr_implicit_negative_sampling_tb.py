# expect:
# allow:
# forbid: *
# evidence: leave-one-out HR@10 0.112 (ep3) -> 0.324 (chance 0.035), sampled AUC 0.684 -> 0.819 (chance 0.5); BPR loss 0.61 -> 0.18, still improving at the end
# native-log: tb_bpr
# log-expect:
# log-allow:
"""Implicit-feedback recommender: MF trained with the BPR pairwise loss and uniform negative
sampling (resampled every epoch), leave-one-out evaluation with HR@10 and sampled AUC. BPR loss
is noisy (fresh negatives each epoch, some of them false negatives).
Logged with torch.utils.tensorboard.SummaryWriter."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

NU, NI, K = 500, 300, 4
Zu, Zi = np.random.randn(NU, K), np.random.randn(NI, K)
pop = np.random.randn(NI) * 0.8
logit = 1.2 * Zu @ Zi.T + pop
inter = {}
for u in range(NU):
    p = np.exp(logit[u] - logit[u].max()); p /= p.sum()
    inter[u] = np.random.choice(NI, 15, replace=False, p=p).tolist()
held = {u: items[-1] for u, items in inter.items()}
train_pos = {u: set(items[:-1]) for u, items in inter.items()}
pairs = torch.tensor([(u, i) for u, s in train_pos.items() for i in s])

class BPRMF(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.U = nn.Embedding(NU, d); self.I = nn.Embedding(NI, d); self.b = nn.Embedding(NI, 1)
        nn.init.normal_(self.U.weight, std=0.1); nn.init.normal_(self.I.weight, std=0.1); nn.init.zeros_(self.b.weight)
    def forward(self, u, i): return (self.U(u) * self.I(i)).sum(-1) + self.b(i).squeeze(-1)

model = BPRMF()
opt = torch.optim.Adam(model.parameters(), lr=5e-3)
tb = SummaryWriter(os.path.join(LOG_DIR, "tb_bpr"))

train_mask = torch.zeros(NU, NI, dtype=torch.bool)
for u, its in train_pos.items(): train_mask[u, list(its)] = True
held_t = torch.tensor([held[u] for u in range(NU)])

def evaluate():
    with torch.no_grad():
        S = (model.U.weight @ model.I.weight.T + model.b.weight.T).masked_fill(train_mask, -1e9)
        hr = (S.topk(10, dim=1).indices == held_t[:, None]).any(1).float().mean().item()
        sh = S.gather(1, held_t[:, None])
        cand = ~train_mask; cand[torch.arange(NU), held_t] = False
        auc = (((S < sh) & cand).sum(1).float() / cand.sum(1)).mean().item()
    return hr, auc

step = 0
for ep in range(20):
    neg = torch.randint(0, NI, (len(pairs),))
    perm = torch.randperm(len(pairs)); tl = []
    for b in perm.split(512):
        u, i, j = pairs[b, 0], pairs[b, 1], neg[b]
        x = model(u, i) - model(u, j)
        loss = -F.logsigmoid(x).mean() + 1e-4 * (model.U(u).pow(2).sum() + model.I(i).pow(2).sum() + model.I(j).pow(2).sum()) / len(b)
        opt.zero_grad(); loss.backward(); opt.step(); tl.append(loss.item()); step += 1
        tb.add_scalar("train/bpr_loss", loss.item(), step)
    hr, auc = evaluate()
    tb.add_scalar("val/hr_at_10", hr, step); tb.add_scalar("val/auc", auc, step)
    if ep % 3 == 0 or ep == 19: print(f"epoch {ep} bpr_loss {np.mean(tl):.4f} HR@10 {hr:.3f} AUC {auc:.3f}")
tb.close()
print("CORPUS_METRIC " + json.dumps({"val_hr_at_10": round(hr, 4), "val_auc": round(auc, 4), "train_loss": round(float(np.mean(tl)), 4),
      "chance_hr_at_10": round(10 / (NI - 14), 4), "chance_auc": 0.5}))
