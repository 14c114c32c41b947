"""Friedman-1 regression (10 features, 5 informative, noise sd 1.0) with a torch port of sklearn's
MLPRegressor (Adam learning_rate_init=1e-2, batch 100, relu (100, 50), early_stopping validation split, loss printed as
sklearn does: half the squared error plus the L2 term) and sklearn's verbose lines
("Iteration 7, loss = 3.21000000" / "Validation score: 0.912000" where the score is R^2),
captured to mlp_regressor_verbose.txt. Noise floor: MSE 1.0, i.e. printed loss ~0.5.
"""
# expect:
# allow:
# forbid: *
# evidence: healthy run: test MSE 1.57 against target variance 25.8 and noise floor 1.0 (R^2 0.939), train MSE 1.04; printed loss falls 42.3 -> 0.56 and the validation R^2 ends at 0.945
# native-log: mlp_regressor_verbose.txt
# log-expect:
# log-allow:
import os, sys, json, time, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
LOG = open(os.path.join(LOG_DIR, "mlp_regressor_verbose.txt"), "w")
def vprint(s):
    print(s); LOG.write(s + "\n"); LOG.flush()
from sklearn.datasets import make_friedman1
X, y = make_friedman1(n_samples=3000, n_features=10, noise=1.0, random_state=0)
Xte, yte = X[2400:], y[2400:]; X, y = X[:2400], y[:2400]
mu, sd = X.mean(0), X.std(0); X, Xte = (X - mu) / sd, (Xte - mu) / sd
ALPHA, LR, BS, MAX_ITER = 1e-4, 1e-2, 100, 70
rng = np.random.RandomState(0); perm = rng.permutation(len(X)); nval = int(0.1 * len(X))
Xva, yva, Xtr, ytr = X[perm[:nval]], y[perm[:nval]], X[perm[nval:]], y[perm[nval:]]
t = lambda a: torch.tensor(a, dtype=torch.float32)
Xtr, Xva, Xte, ytr, yva, yte = t(Xtr), t(Xva), t(Xte), t(ytr), t(yva), t(yte)
model = nn.Sequential(nn.Linear(10, 100), nn.ReLU(), nn.Linear(100, 50), nn.ReLU(), nn.Linear(50, 1))
opt = torch.optim.Adam(model.parameters(), lr=LR)
r2 = lambda p, t: 1 - ((p - t) ** 2).sum().item() / ((t - t.mean()) ** 2).sum().item()
for it in range(1, MAX_ITER + 1):
    p = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), BS):
        idx = p[i:i + BS]
        loss = 0.5 * ((model(Xtr[idx]).squeeze(1) - ytr[idx]) ** 2).mean()
        l2 = sum((m.weight ** 2).sum() for m in model if isinstance(m, nn.Linear))
        loss = loss + ALPHA * 0.5 * l2 / len(idx)
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    with torch.no_grad():
        vs = r2(model(Xva).squeeze(1), yva)
    vprint(f"Iteration {it}, loss = {tot / len(Xtr):.8f}")
    vprint(f"Validation score: {vs:.6f}")
LOG.close()
with torch.no_grad():
    pt = model(Xte).squeeze(1); mse = ((pt - yte) ** 2).mean().item(); trm = ((model(Xtr).squeeze(1) - ytr) ** 2).mean().item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(mse, 4), "val_r2": round(r2(pt, yte), 4), "train_mse": round(trm, 4), "target_var": round(yte.var().item(), 4), "noise_mse": 1.0}))
