# expect: learning_rate_too_high
# allow: exploding_gradients, non_finite, non_convergence, dead_units
# forbid: *
# evidence: planted (raw Kelvin targets, SGD lr 0.01 m 0.9): step losses 8.6e4 -> 5.9e4 -> 3.2e10 -> 9.8e33 -> NaN by step 5, grad norm 981 -> 2.0e9 -> inf, val_mse NaN; control (z-scored targets, same lr): val_mse 1.66 K^2 vs target var 108.5 K^2 (noise var 1.0)
# control: --control
# native-log: kelvin/train_log.csv
# log-expect: non_finite
# log-allow: learning_rate_too_high, non_convergence, exploding_gradients
"""Predicting a surface temperature in KELVIN (~270-320 K) from standardised weather features with
SGD lr=0.01 + momentum, a setting that works for standardised targets. With raw targets the first errors
are ~300 K, the updates are huge and training blows up. Control: standardise the target (z-score),
same lr; metrics are always reported in raw K^2."""
import os, sys, json, random, tempfile, csv, math
import numpy as np, torch, torch.nn as nn
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(os.path.join(LOG_DIR, "kelvin"), exist_ok=True)
g = torch.Generator().manual_seed(0)
def sample(n):
    X = torch.randn(n, 6, generator=g)
    T = 293.0 + 9 * X[:, 0] - 4 * X[:, 1] + 3 * torch.tanh(X[:, 2] * X[:, 3]) + 2 * X[:, 4] + 1.0 * torch.randn(n, generator=g)
    return X, T.unsqueeze(1)
Xtr, ytr = sample(1500); Xva, yva = sample(500)
ymu, ysd = (ytr.mean(), ytr.std()) if CONTROL else (torch.tensor(0.0), torch.tensor(1.0))
model = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
f = open(os.path.join(LOG_DIR, "kelvin", "train_log.csv"), "w", newline=""); w = csv.writer(f); w.writerow(["epoch", "step", "train_mse_K2", "val_mse_K2"])
def raw_mse(X, y):
    with torch.no_grad(): return ((model(X) * ysd + ymu - y) ** 2).mean().item()
step = 0
for epoch in range(25):
    perm = torch.randperm(1500); tot = 0.0
    for i in range(0, 1500, 50):
        idx = perm[i:i + 50]
        loss = ((model(Xtr[idx]) - (ytr[idx] - ymu) / ysd) ** 2).mean()
        opt.zero_grad(); loss.backward()
        if step < 6: print(f'  step {step} loss {loss.item():.4g} grad_norm {float(nn.utils.clip_grad_norm_(model.parameters(), float("inf"))):.4g}')
        opt.step(); step += 1; tot += (loss.item() * ysd.item() ** 2) * len(idx)
    vm = raw_mse(Xva, yva)
    w.writerow([epoch, step, tot / 1500, vm]); f.flush()
    print(f"epoch {epoch:2d} train_mse {tot / 1500:.4g} K^2 val_mse {vm:.4g} K^2")
f.close()
J = lambda v: round(v, 4) if math.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({"val_mse": J(vm), "train_mse": J(raw_mse(Xtr, ytr)), "target_var": round(yva.var().item(), 3), "noise_var": 1.0}))
