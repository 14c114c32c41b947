"""MLP regression on Friedman #1 (targets in natural units, std ~5) with SGD+momentum
and clip_grad_norm_(max_norm=1.0).

Look-alike: the pre-clip gradient norm is above 1 on most steps (the MSE on
targets with std ~5 gives gradient norms of 4-120), so clipping fires on every
steps for the whole run. A monitor that treats "norm above the clip threshold"
or large raw gradient norms as exploding gradients is fooled: the clipped run is
stable and fits the function well.
"""
# expect:
# allow:
# forbid: *
# evidence: val R^2 0.985 (val_mse 0.398 vs target variance 25.7; noise variance 0.25), train_mse 0.300; clipping fired on 100% of steps in every epoch, pre-clip grad norm median 7.5 (max 118 early on), val_mse falls steadily 2.85 -> 0.40
import json
import random

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_friedman1

torch.set_num_threads(1)
random.seed(13)
np.random.seed(13)
torch.manual_seed(13)


def main():
    X, y = make_friedman1(n_samples=5000, n_features=10, noise=0.5, random_state=13)
    X = (X - 0.5) / 0.29  # uniform[0,1] features -> roughly unit scale
    X, y = torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)
    Xtr, ytr, Xva, yva = X[:4000], y[:4000], X[4000:], y[4000:]
    model = nn.Sequential(nn.Linear(10, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[10, 15], gamma=0.3)
    norms, clipped_last = [], []
    for ep in range(18):
        model.train()
        perm = torch.randperm(len(Xtr))
        tot = 0.0
        ep_norms = []
        for i in range(0, len(perm), 32):
            idx = perm[i:i + 32]
            loss = F.mse_loss(model(Xtr[idx]).squeeze(1), ytr[idx])
            opt.zero_grad()
            loss.backward()
            gn = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0).item()
            ep_norms.append(gn)
            opt.step()
            tot += loss.item() * len(idx)
        sched.step()
        norms += ep_norms
        model.eval()
        with torch.no_grad():
            mse = F.mse_loss(model(Xva).squeeze(1), yva).item()
        if ep % 3 == 2:
            frac = np.mean(np.array(ep_norms) > 1.0)
            print(f"epoch {ep} train_mse {tot / len(Xtr):.3f} val_mse {mse:.3f} clipped {frac:.2f} "
                  f"median_preclip_norm {np.median(ep_norms):.2f}")
        clipped_last = ep_norms
    var = yva.var().item()
    norms = np.array(norms)
    print(f"clip fired on {np.mean(norms > 1):.3f} of all steps, {np.mean(np.array(clipped_last) > 1):.3f} in the last epoch; "
          f"pre-clip norm median {np.median(norms):.2f} max {norms.max():.1f}")
    print("CORPUS_METRIC " + json.dumps({"val_mse": round(mse, 4), "target_var": round(var, 4), "val_r2": round(1 - mse / var, 4),
                                        "train_mse": round(tot / len(Xtr), 4), "clip_fraction": round(float(np.mean(norms > 1)), 4)}))


if __name__ == "__main__":
    main()
