# expect: unnormalized_inputs
# allow: non_convergence, high_bias, dead_units, learning_rate_too_high, exploding_gradients
# forbid: *
# evidence: raw column means 6.4e4/1.7e4/45/6/0.35/0.40; planted first-layer mean |pre-activation| ~9750, train loss jumps 10-15 (batch max 34), val_loss 10.8 -> 17.8, val_acc 0.451 (majority 0.55), val AUC 0.482; control (standardised) mean |preact| 0.5, val_loss 0.551, val_acc 0.723, val AUC 0.792
# control: --control
"""PLANTED: loan-default model fed raw numeric columns: annual income in dollars (~6e4), loan
amount in dollars (~1.5e4), age in years, number of open accounts, next to ratios in [0, 1]
(debt-to-income, credit utilisation). Categorical employment type goes through an embedding.
Control: the same pipeline with the numeric columns standardised (train mean/std)."""
import os, sys, json, random
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv

N = 10000
income = np.random.lognormal(np.log(60000), 0.4, N)
loan = np.random.lognormal(np.log(15000), 0.5, N)
age = np.random.uniform(21, 70, N)
accounts = np.random.poisson(6, N).astype(float)
dti = np.clip(np.random.beta(2, 5, N) + 0.2 * loan / income, 0, 1)
util = np.random.beta(2, 3, N)
emp = np.random.randint(0, 5, N); emp_eff = np.array([0.0, 0.5, -0.4, 0.8, -0.2])
z = 5.0 * (dti - 0.35) + 3.0 * (util - 0.4) - 0.8 * (np.log(income) - np.log(60000)) - 0.02 * (age - 45) + emp_eff[emp] - 0.5
y = (np.random.rand(N) < 1 / (1 + np.exp(-z))).astype(np.float32)
num = np.stack([income, loan, age, accounts, dti, util], 1)
print("raw column means:", " ".join(f"{m:.3g}" for m in num.mean(0)), "| stds:", " ".join(f"{s:.3g}" for s in num.std(0)))
ntr = 8000
if CONTROL:
    mu, sd = num[:ntr].mean(0), num[:ntr].std(0)
    num = (num - mu) / sd
X = torch.tensor(num, dtype=torch.float32); E = torch.tensor(emp); Y = torch.tensor(y)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(5, 4)
        self.mlp = nn.Sequential(nn.Linear(6 + 4, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))
    def forward(self, x, e): return self.mlp(torch.cat([x, self.emb(e)], 1)).squeeze(-1)

model = Net()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for ep in range(10):
    perm = torch.randperm(ntr); tl = []
    for b in perm.split(128):
        loss = F.binary_cross_entropy_with_logits(model(X[b], E[b]), Y[b])
        opt.zero_grad(); loss.backward(); opt.step(); tl.append(loss.item())
    with torch.no_grad():
        lv = model(X[ntr:], E[ntr:]); vl = F.binary_cross_entropy_with_logits(lv, Y[ntr:]).item()
        acc = ((lv > 0).float() == Y[ntr:]).float().mean().item()
        pre1 = model.mlp[0](torch.cat([X[ntr:], model.emb(E[ntr:])], 1)).abs().mean().item()
    if ep % 3 == 0 or ep == 9:
        print(f"epoch {ep} train_loss {np.mean(tl):.4f} (batch max {max(tl):.2f}) val_loss {vl:.4f} val_acc {acc:.4f} mean|preact L1| {pre1:.1f}")
from sklearn.metrics import roc_auc_score
auc = roc_auc_score(Y[ntr:].numpy(), lv.numpy())
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "val_auc": round(float(auc), 4),
      "train_loss": round(float(np.mean(tl)), 4), "majority_acc": round(float(max(y[ntr:].mean(), 1 - y[ntr:].mean())), 4)}))
