# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, overfitting, high_variance
# forbid: *
# evidence: control (Adam lr=1e-2) val_mse 0.395 (target var 1.40, noise 0.25); planted (Adam lr=1.0) batch loss 1.37 at step 1 -> 100 within epoch 0, val_mse 112 (ep0) -> 33 (ep5) -> 1518 (ep11) -> 740 at the end, never below 30
# control: --control
# native-log: runs/mf_adam/log.jsonl
# log-expect: learning_rate_too_high
# log-allow: non_convergence, exploding_gradients, overfitting, high_variance
"""PLANTED: biased MF trained with Adam lr=1.0 ("embeddings get sparse gradients, so use a big lr");
control uses lr=1e-2. Everything else identical."""
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
LR = 1e-2 if CONTROL else 1.0

class MF(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.P = nn.Embedding(NU, d); self.Q = nn.Embedding(NI, d)
        self.bu = nn.Embedding(NU, 1); self.bi = nn.Embedding(NI, 1)
        for e in (self.P, self.Q): nn.init.normal_(e.weight, std=0.1)
        for e in (self.bu, self.bi): nn.init.zeros_(e.weight)
    def forward(self, u, i):
        return MU + self.bu(u).squeeze(-1) + self.bi(i).squeeze(-1) + (self.P(u) * self.Q(i)).sum(-1)

model = MF(16); LAMBDA = 0.05
opt = torch.optim.Adam(model.parameters(), lr=LR)
def mse(split):
    with torch.no_grad(): return F.mse_loss(model(split[0], split[1]), split[2]).item()
os.makedirs(os.path.join(LOG_DIR, "runs", "mf_adam"), exist_ok=True)
log = open(os.path.join(LOG_DIR, "runs", "mf_adam", "log.jsonl"), "w")
step = 0
for ep in range(15):
    p = torch.randperm(len(train[0])); run = []
    for b in p.split(1024):
        u, i, y = train[0][b], train[1][b], train[2][b]
        pred = model(u, i)
        loss = F.mse_loss(pred, y) + LAMBDA * ((model.P(u) ** 2).sum(-1) + (model.Q(i) ** 2).sum(-1)).mean()
        opt.zero_grad(); loss.backward(); opt.step(); step += 1; run.append(loss.item())
        if step % 5 == 0:
            log.write(json.dumps({"step": step, "epoch": ep, "train_loss": round(float(np.mean(run[-5:])), 5), "lr": LR}) + "\n")
    tr, va = mse(train), mse(val)
    log.write(json.dumps({"step": step, "epoch": ep, "val_loss": round(va, 5), "val_rmse": round(va ** 0.5, 5)}) + "\n")
    print(f"epoch {ep} train_mse {tr:.4f} val_mse {va:.4f} batch_loss_range [{min(run):.3f}, {max(run):.3f}]")
log.close()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(va, 4), "test_mse": round(mse(test), 4), "train_mse": round(tr, 4),
      "target_var": round(float(val[2].var()), 4), "noise_var": NOISE_VAR}))
