# expect:
# allow:
# forbid: *
# evidence: SparseAdam MF on synthetic rank-4 ratings: val_mse 0.115 vs target variance 1.104 and noise floor 0.09; train_mse 0.089; metric: val_mse near the noise floor
# native-log: mf_log.jsonl
# log-expect:
# log-allow:
"""Matrix factorisation recommender with nn.Embedding(sparse=True) for users/items, trained with
torch.optim.SparseAdam (embeddings) + Adam (dense biases) on synthetic low-rank ratings + noise.
Each step touches only a few rows, so most embedding rows have zero gradient per step."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
nU, nI, k, N, noise = 400, 300, 4, 30000, 0.3
U = torch.randn(nU, k) / k ** 0.25; I = torch.randn(nI, k) / k ** 0.25
u = torch.randint(0, nU, (N,)); it = torch.randint(0, nI, (N,))
r = (U[u] * I[it]).sum(1) + 3.0 + noise * torch.randn(N)
ntr = 25000
class MF(nn.Module):
    def __init__(self):
        super().__init__()
        self.P = nn.Embedding(nU, 6, sparse=True); self.Q = nn.Embedding(nI, 6, sparse=True)
        nn.init.normal_(self.P.weight, std=0.1); nn.init.normal_(self.Q.weight, std=0.1)
        self.mu = nn.Parameter(torch.zeros(1))
    def forward(self, u, i):
        return (self.P(u) * self.Q(i)).sum(1) + self.mu
m = MF()
opt_s = torch.optim.SparseAdam(list(m.P.parameters()) + list(m.Q.parameters()), lr=1e-2)
opt_d = torch.optim.Adam([m.mu], lr=5e-2)
log = open(os.path.join(LOG_DIR, "mf_log.jsonl"), "w")
for ep in range(10):
    perm = torch.randperm(ntr); tot = 0.0
    for i in range(0, ntr, 256):
        idx = perm[i:i + 256]
        loss = ((m(u[idx], it[idx]) - r[idx]) ** 2).mean()
        opt_s.zero_grad(); opt_d.zero_grad(); loss.backward(); opt_s.step(); opt_d.step()
        tot += loss.item() * len(idx)
    with torch.no_grad():
        vl = ((m(u[ntr:], it[ntr:]) - r[ntr:]) ** 2).mean().item()
    log.write(json.dumps({"epoch": ep, "train_loss": round(tot / ntr, 5), "val_loss": round(vl, 5)}) + "\n")
    print(f"epoch {ep} train_mse {tot/ntr:.4f} val_mse {vl:.4f}")
log.close()
var = r[ntr:].var().item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 4), "train_mse": round(tot / ntr, 4), "target_var": round(var, 4), "noise_var": noise ** 2}))
