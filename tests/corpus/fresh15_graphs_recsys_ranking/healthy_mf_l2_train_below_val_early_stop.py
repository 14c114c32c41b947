# expect:
# allow:
# forbid: *
# evidence: val_mse 1.31 -> 0.370 best (target var 1.40, noise floor 0.25), early stop restores best, test_mse 0.409; train_mse 0.169 sits below val (gap by design: L2 MF fits some rating noise) but val is at its minimum
# native-log: mf_metrics.csv
# log-expect:
# log-allow:
"""Biased matrix factorisation on explicit ratings, dim 32, L2 on the embeddings touched in each
batch, early stopping on val MSE with best-checkpoint restore. Train MSE ends well below val MSE
(the model fits part of the rating noise) but val MSE is at its best and close to the noise floor."""
import os, sys, json, random, tempfile, csv
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

# synthetic explicit ratings: global mean + user/item biases + rank-3 interaction + noise (sd 0.5)
NU, NI, R = 400, 300, 3
bu = 0.4 * np.random.randn(NU); bi = 0.4 * np.random.randn(NI)
U = np.random.randn(NU, R) / R ** 0.25; V = np.random.randn(NI, R) / R ** 0.25
mask = np.random.rand(NU, NI) < 0.15
uu, ii = np.nonzero(mask)
r = 3.5 + bu[uu] + bi[ii] + (U[uu] * V[ii]).sum(1) + 0.5 * np.random.randn(len(uu))
perm = np.random.permutation(len(uu)); ntr = int(0.8 * len(uu)); nva = int(0.9 * len(uu))
def T(idx): return (torch.tensor(uu[idx]), torch.tensor(ii[idx]), torch.tensor(r[idx], dtype=torch.float32))
train, val, test = T(perm[:ntr]), T(perm[ntr:nva]), T(perm[nva:])
MU = float(train[2].mean())
NOISE_VAR = 0.25

class MF(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.P = nn.Embedding(NU, d); self.Q = nn.Embedding(NI, d)
        self.bu = nn.Embedding(NU, 1); self.bi = nn.Embedding(NI, 1)
        for e in (self.P, self.Q): nn.init.normal_(e.weight, std=0.1)
        for e in (self.bu, self.bi): nn.init.zeros_(e.weight)
    def forward(self, u, i):
        return MU + self.bu(u).squeeze(-1) + self.bi(i).squeeze(-1) + (self.P(u) * self.Q(i)).sum(-1)

model = MF(32); LAMBDA = 0.1
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
def mse(split):
    with torch.no_grad(): return F.mse_loss(model(split[0], split[1]), split[2]).item()
f = open(os.path.join(LOG_DIR, "mf_metrics.csv"), "w", newline=""); w = csv.writer(f)
w.writerow(["epoch", "train_loss", "val_loss", "val_metric"])
best, best_state, bad = 1e9, None, 0
for ep in range(40):
    p = torch.randperm(len(train[0]))
    for b in p.split(1024):
        u, i, y = train[0][b], train[1][b], train[2][b]
        pred = model(u, i)
        loss = F.mse_loss(pred, y) + LAMBDA * ((model.P(u) ** 2).sum(-1) + (model.Q(i) ** 2).sum(-1)).mean()
        opt.zero_grad(); loss.backward(); opt.step()
    tr, va = mse(train), mse(val)
    w.writerow([ep, round(tr, 5), round(va, 5), round(va ** 0.5, 5)])
    print(f"epoch {ep} train_mse {tr:.4f} val_mse {va:.4f}")
    if va < best - 1e-4: best, best_state, bad = va, {k: v.clone() for k, v in model.state_dict().items()}, 0
    else:
        bad += 1
        if bad >= 3: print("early stop"); break
f.close()
model.load_state_dict(best_state)
print("CORPUS_METRIC " + json.dumps({"val_mse": round(mse(val), 4), "test_mse": round(mse(test), 4), "train_mse": round(mse(train), 4),
      "target_var": round(float(val[2].var()), 4), "noise_var": NOISE_VAR}))
