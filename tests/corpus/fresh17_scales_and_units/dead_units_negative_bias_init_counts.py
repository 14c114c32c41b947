# expect: dead_units
# allow: non_convergence, poor_initialization, vanishing_gradients, high_bias
# forbid: *
# evidence: probe: fraction of never-firing ReLU units per layer planted [0.984, 1.0, 1.0] at init and at the end vs control [0.0, 0.023, 0.109]; planted val_mse 0.3517 = target var 0.3513 (predicts a constant), control val_mse 0.0044
# control: --control
"""Regression of log(daily visitor count) (counts in the thousands) with a 3x128 ReLU MLP whose hidden
biases were initialised to -3 (copied from a 'sparse activations' recipe). With standardised inputs the
pre-activations are ~N(-3, 0.6^2): almost every hidden unit outputs 0 for every input and never recovers.
Control: PyTorch's default bias init (nothing else changed). Probe: fraction of hidden units that never fire."""
import os, sys, json, random, math
import numpy as np, torch, torch.nn as nn
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
g = torch.Generator().manual_seed(0)
D = 10
def sample(n):
    X = torch.randn(n, D, generator=g)
    counts = torch.poisson(torch.exp(7.5 + 0.6 * torch.tanh(X[:, 0] + X[:, 1]) - 0.4 * X[:, 2] ** 2 / 2 + 0.3 * X[:, 3]), generator=g)
    return X, torch.log1p(counts).unsqueeze(1)
Xtr, ytr = sample(2000); Xva, yva = sample(500)
ymu = ytr.mean()
model = nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 1))
if not CONTROL:
    with torch.no_grad():
        for m in list(model)[:-1]:
            if isinstance(m, nn.Linear): m.bias.fill_(-3.0)
with torch.no_grad(): model[-1].bias.fill_(ymu.item())
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
def dead_fraction():
    acts = []; h = Xtr
    with torch.no_grad():
        for m in model:
            h = m(h)
            if isinstance(m, nn.ReLU): acts.append((h > 0).any(0).float())
    return [1 - a.mean().item() for a in acts]
print("dead fraction per ReLU layer at init:", [round(v, 3) for v in dead_fraction()])
for epoch in range(20):
    perm = torch.randperm(2000); tot = 0.0
    for i in range(0, 2000, 64):
        idx = perm[i:i + 64]; loss = ((model(Xtr[idx]) - ytr[idx]) ** 2).mean()
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    with torch.no_grad(): vm = ((model(Xva) - yva) ** 2).mean().item()
    if epoch % 4 == 3: print(f"epoch {epoch:2d} train_mse {tot / 2000:.5f} val_mse {vm:.5f}")
df = dead_fraction()
print("dead fraction per ReLU layer at end:", [round(v, 3) for v in df])
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm, 5), "train_mse": round(tot / 2000, 5), "target_var": round(yva.var().item(), 5),
                                    "dead_fraction": [round(v, 4) for v in df]}))
