# expect: poor_initialization
# allow: non_convergence, high_bias, vanishing_gradients
# forbid: *
# evidence: control (normal std 0.1 factors) val_mse 0.371 (target var 1.40, noise 0.25); planted (zero factors) grad of P is exactly 0.00 every epoch, factor norm stays 0.000, val_mse 1.122 (bias-only model)
# control: --control
"""PLANTED: the factor embeddings are zero-initialised "like the bias terms". With P=Q=0 the
gradient of p_u.q_i w.r.t. each factor is the other factor (=0), so the factors never move and
only the biases learn. Control: normal(0, 0.1) init for the factors. Plain SGD with momentum."""
import os, sys, json, random, tempfile, csv
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

# synthetic explicit ratings: global mean + user/item biases + rank-5 interaction + noise (sd 0.5)
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
        for e in (self.P, self.Q):
            if CONTROL: nn.init.normal_(e.weight, std=0.1)
            else: nn.init.zeros_(e.weight)          # planted
        for e in (self.bu, self.bi): nn.init.zeros_(e.weight)
    def forward(self, u, i):
        return MU + self.bu(u).squeeze(-1) + self.bi(i).squeeze(-1) + (self.P(u) * self.Q(i)).sum(-1)

model = MF(16)
opt = torch.optim.SGD(model.parameters(), lr=1.0, momentum=0.9, weight_decay=0.0)
# sum-over-batch style per-row lr: mean loss over 512 ratings, so embedding rows see tiny gradients -> large lr
def mse(split):
    with torch.no_grad(): return F.mse_loss(model(split[0], split[1]), split[2]).item()
for ep in range(20):
    p = torch.randperm(len(train[0]))
    for b in p.split(512):
        u, i, y = train[0][b], train[1][b], train[2][b]
        loss = F.mse_loss(model(u, i), y) + 0.05 * ((model.P(u) ** 2).sum(-1) + (model.Q(i) ** 2).sum(-1)).mean()
        opt.zero_grad(); loss.backward()
        gP = model.P.weight.grad.norm().item(); gb = model.bu.weight.grad.norm().item()
        opt.step()
    tr, va = mse(train), mse(val)
    if ep % 3 == 0 or ep == 19:
        print(f"epoch {ep} train_mse {tr:.4f} val_mse {va:.4f} |grad P| {gP:.2e} |grad bias| {gb:.2e} |P| {model.P.weight.norm().item():.3f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(va, 4), "test_mse": round(mse(test), 4), "train_mse": round(tr, 4),
      "target_var": round(float(val[2].var()), 4), "noise_var": NOISE_VAR, "factor_norm": round(model.P.weight.norm().item(), 4)}))
