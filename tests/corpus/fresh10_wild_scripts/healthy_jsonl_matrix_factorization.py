# Matrix-factorisation recommender (user/item embeddings + biases) on synthetic ratings.
# Metrics appended as JSON lines.
# expect:
# allow:
# forbid: *
# evidence: healthy MF recommender with L2 on embeddings: val_mse 0.345 vs global-mean baseline 1.579 and noise var 0.25; train_mse 0.264; val flat over last 6 epochs (logged train_loss includes the L2 term)
# native-log: metrics.jsonl
# log-expect:
# log-allow:
import os, json, tempfile
import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0)
rng = np.random.default_rng(0)
N_USERS, N_ITEMS, K_TRUE, NOISE = 400, 300, 4, 0.5
U = rng.normal(0, 0.7, (N_USERS, K_TRUE)); V = rng.normal(0, 0.7, (N_ITEMS, K_TRUE))
bu = rng.normal(0, 0.3, N_USERS); bi = rng.normal(0, 0.5, N_ITEMS)
n_obs = 30000
u = rng.integers(0, N_USERS, n_obs); i = rng.integers(0, N_ITEMS, n_obs)
r = 3.5 + bu[u] + bi[i] + (U[u] * V[i]).sum(1) + rng.normal(0, NOISE, n_obs)
perm = rng.permutation(n_obs); tr, va = perm[:25000], perm[25000:]
T = lambda a, dt=torch.long: torch.tensor(a, dtype=dt)
utr, itr, rtr = T(u[tr]), T(i[tr]), T(r[tr], torch.float32)
uva, iva, rva = T(u[va]), T(i[va]), T(r[va], torch.float32)


class MF(nn.Module):
    def __init__(self, nu, ni, k=16):
        super().__init__()
        self.P = nn.Embedding(nu, k); self.Q = nn.Embedding(ni, k)
        self.bu = nn.Embedding(nu, 1); self.bi = nn.Embedding(ni, 1)
        for e in (self.P, self.Q):
            nn.init.normal_(e.weight, 0, 0.1)
        nn.init.zeros_(self.bu.weight); nn.init.zeros_(self.bi.weight)
        self.mu = nn.Parameter(torch.tensor(3.5))

    def forward(self, u, i):
        return self.mu + self.bu(u).squeeze(-1) + self.bi(i).squeeze(-1) + (self.P(u) * self.Q(i)).sum(-1)


model = MF(N_USERS, N_ITEMS)
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
lossf = nn.MSELoss()
log_path = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "metrics.jsonl")
log = open(log_path, "w")
BS, step, LAMBDA = 256, 0, 0.1
for epoch in range(12):
    model.train()
    perm = torch.randperm(len(utr)); tot = 0.0
    for s in range(0, len(perm), BS):
        b = perm[s:s + BS]
        pred = model(utr[b], itr[b])
        reg = LAMBDA * (model.P(utr[b]).pow(2).sum(1) + model.Q(itr[b]).pow(2).sum(1)).mean()
        loss = lossf(pred, rtr[b]) + reg
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(b); step += 1
    model.eval()
    with torch.no_grad():
        vmse = lossf(model(uva, iva), rva).item()
    rec = {"epoch": epoch, "step": step, "train_loss": tot / len(utr), "val_loss": vmse, "val_rmse": vmse ** 0.5, "lr": opt.param_groups[0]["lr"]}
    log.write(json.dumps(rec) + "\n"); log.flush()
    print(json.dumps(rec))
log.close()
with torch.no_grad():
    tmse = lossf(model(utr, itr), rtr).item()
baseline = float(((rva - rtr.mean()) ** 2).mean())
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vmse, 4), "val_rmse": round(vmse ** 0.5, 4), "train_mse": round(tmse, 4), "target_var": round(float(rva.var()), 4), "global_mean_mse": round(baseline, 4), "noise_var": NOISE ** 2}))
