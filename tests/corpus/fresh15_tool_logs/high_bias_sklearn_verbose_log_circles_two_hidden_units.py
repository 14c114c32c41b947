"""Concentric-circles classifier written as a torch port of sklearn's MLPClassifier (Adam, learning_rate_init=1e-2,
batch 200, L2 alpha=1e-4, early_stopping with a 10% validation split) that prints sklearn's verbose
lines ("Iteration 12, loss = 0.42310000" / "Validation score: 0.871000"), captured to train.log.
Planted: hidden_layer_sizes=(2,) - two tanh units cannot carve a ring out of the plane, so the
model underfits its own training data. --control uses hidden_layer_sizes=(64,) (the only change).
"""
# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: control (64 hidden units) reaches test acc 1.000, train_acc 1.000, train loss 0.009; planted (2 tanh units) plateaus at train loss 0.47 (falling only 0.485 -> 0.471 over the last 20 iterations), train_acc 0.787, test acc 0.744 (chance 0.50; the rings are separable, noise 0.08)
# control: --control
# native-log: train.log
# log-expect: high_bias
# log-allow: non_convergence
import os, sys, json, time, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
LOG = open(os.path.join(LOG_DIR, "train.log"), "w")
def vprint(s):
    print(s); LOG.write(s + "\n"); LOG.flush()
from sklearn.datasets import make_circles
X, y = make_circles(n_samples=2000, noise=0.08, factor=0.5, random_state=0)
Xte, yte = X[1500:], y[1500:]; X, y = X[:1500], y[:1500]
HIDDEN = (64,) if CONTROL else (2,)
ALPHA, LR, BS, MAX_ITER = 1e-4, 1e-2, 200, 80
rng = np.random.RandomState(0); perm = rng.permutation(len(X)); nval = int(0.1 * len(X))
Xva, yva, Xtr, ytr = X[perm[:nval]], y[perm[:nval]], X[perm[nval:]], y[perm[nval:]]
t = lambda a: torch.tensor(a, dtype=torch.float32)
Xtr, Xva, Xte, ytr, yva, yte = t(Xtr), t(Xva), t(Xte), t(ytr), t(yva), t(yte)
layers = []; d = 2
for h in HIDDEN: layers += [nn.Linear(d, h), nn.Tanh()]; d = h
model = nn.Sequential(*layers, nn.Linear(d, 1))
opt = torch.optim.Adam(model.parameters(), lr=LR, betas=(0.9, 0.999), eps=1e-8)
for it in range(1, MAX_ITER + 1):
    p = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), BS):
        idx = p[i:i + BS]
        loss = F.binary_cross_entropy_with_logits(model(Xtr[idx]).squeeze(1), ytr[idx])
        l2 = sum((m.weight ** 2).sum() for m in model if isinstance(m, nn.Linear))
        loss = loss + ALPHA * 0.5 * l2 / len(idx)
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    with torch.no_grad():
        vs = ((model(Xva).squeeze(1) > 0).float() == yva).float().mean().item()
    vprint(f"Iteration {it}, loss = {tot / len(Xtr):.8f}")
    vprint(f"Validation score: {vs:.6f}")
LOG.close()
with torch.no_grad():
    tra = ((model(Xtr).squeeze(1) > 0).float() == ytr).float().mean().item()
    zt = model(Xte).squeeze(1); tea = ((zt > 0).float() == yte).float().mean().item(); tel = F.binary_cross_entropy_with_logits(zt, yte).item()
    trl = F.binary_cross_entropy_with_logits(model(Xtr).squeeze(1), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(tel, 4), "val_acc": round(tea, 4), "train_loss": round(trl, 4), "train_acc": round(tra, 4), "chance_acc": 0.5, "bayes_acc_approx": 1.0}))
