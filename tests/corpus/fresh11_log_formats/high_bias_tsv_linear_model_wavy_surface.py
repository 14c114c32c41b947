# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: planted (linear model): train MSE 0.227 and val MSE 0.221 flat from epoch 5 to 25, equal to the target variance 0.221, vs Bayes (noise) MSE 0.010 -> avoidable bias ~0.22 with no train/val gap. Control (2-64-64-1 tanh MLP, same Adam + StepLR): train MSE 0.011, val MSE 0.012
# control: --control
# native-log: epochs.tsv
# log-expect:
# log-allow: high_bias, non_convergence
"""A linear regressor fitted to a wavy 2-D surface, y = sin(2 x1) cos(1.5 x2) + N(0, 0.1^2).

The noise variance is 0.01, so a flexible model can get the MSE down to ~0.01; a linear model
cannot represent the surface at all and sits at the target variance on train and validation
alike.  Per-epoch rows in a tab-separated file (epoch, train_mse, val_mse, lr).  --control swaps
the linear layer for a 2-64-64-1 tanh MLP with the same optimiser and schedule.
"""
import json
import os
import random
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
SEED = 13
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="tsv_bias_")
os.makedirs(LOG_DIR, exist_ok=True)

rs = np.random.RandomState(0)
X = rs.uniform(-2, 2, (3000, 2))
NOISE = 0.1
y = np.sin(2 * X[:, 0]) * np.cos(1.5 * X[:, 1]) + rs.normal(0, NOISE, 3000)
Xtr, ytr = torch.tensor(X[:2400], dtype=torch.float32), torch.tensor(y[:2400], dtype=torch.float32)
Xva, yva = torch.tensor(X[2400:], dtype=torch.float32), torch.tensor(y[2400:], dtype=torch.float32)

if CONTROL:
    model = nn.Sequential(nn.Linear(2, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 1))
else:
    model = nn.Sequential(nn.Linear(2, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.3)
EPOCHS, BS = 25, 32
with open(os.path.join(LOG_DIR, "epochs.tsv"), "w") as f:
    f.write("epoch\ttrain_mse\tval_mse\tlr\n")
for epoch in range(1, EPOCHS + 1):
    model.train()
    p = torch.randperm(len(Xtr))
    tot = 0.0
    for i in range(0, len(Xtr), BS):
        b = p[i:i + BS]
        loss = F.mse_loss(model(Xtr[b]).squeeze(1), ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(b)
    lr = opt.param_groups[0]["lr"]
    sched.step()
    model.eval()
    with torch.no_grad():
        vl = F.mse_loss(model(Xva).squeeze(1), yva).item()
    with open(os.path.join(LOG_DIR, "epochs.tsv"), "a") as f:
        f.write(f"{epoch}\t{tot / len(Xtr):.6f}\t{vl:.6f}\t{lr:.6g}\n")
    if epoch % 5 == 0 or epoch == 1:
        print(f"epoch {epoch:2d} train_mse {tot / len(Xtr):.4f} val_mse {vl:.4f} lr {lr:.2e}")
with torch.no_grad():
    tr_mse = F.mse_loss(model(Xtr).squeeze(1), ytr).item()
print(f"noise variance (Bayes MSE) {NOISE ** 2:.4f}; target variance {yva.var().item():.4f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 4), "train_mse": round(tr_mse, 4), "bayes_mse": round(NOISE ** 2, 4),
                                      "target_var": round(yva.var().item(), 4)}))
