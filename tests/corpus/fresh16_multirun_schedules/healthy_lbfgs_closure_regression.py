# expect:
# allow:
# forbid: *
# evidence: LBFGS reaches val_mse 0.0036 vs target variance 0.296 (R2 0.988; noise variance 0.0025), train_mse 0.0029
"""Full-batch LBFGS with a closure on a small nonlinear regression (tanh MLP, 400 training
points). Each outer step runs up to 20 inner iterations; the printed loss is per outer step.
A second phase restarts LBFGS with a fresh history and a smaller max_iter (fine polish)."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
rng = np.random.default_rng(0)
def make(n):
    X = rng.uniform(-1, 1, size=(n, 3))
    y = np.sin(3 * X[:, 0]) * np.cos(2 * X[:, 1]) + 0.5 * X[:, 2] + rng.normal(0, 0.05, n)
    return torch.tensor(X, dtype=torch.float64), torch.tensor(y, dtype=torch.float64).unsqueeze(1)
Xtr, ytr = make(400); Xva, yva = make(400)
torch.set_default_dtype(torch.float64)
model = nn.Sequential(nn.Linear(3, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 1))
lossf = nn.MSELoss()

def phase(name, steps, max_iter, lr):
    opt = torch.optim.LBFGS(model.parameters(), lr=lr, max_iter=max_iter, history_size=20, line_search_fn="strong_wolfe")
    for s in range(steps):
        def closure():
            opt.zero_grad()
            loss = lossf(model(Xtr), ytr)
            loss.backward()
            return loss
        loss = opt.step(closure)
        with torch.no_grad():
            vl = lossf(model(Xva), yva).item()
        print(f"{name} outer_step {s} train_mse {loss.item():.5f} val_mse {vl:.5f}")
    return loss.item(), vl

phase("lbfgs", 12, 20, 1.0)
tl, vl = phase("lbfgs-polish", 5, 10, 0.5)
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 5), "target_var": round(yva.var().item(), 4),
                                     "noise_var": 0.0025, "train_loss": round(tl, 5)}))
