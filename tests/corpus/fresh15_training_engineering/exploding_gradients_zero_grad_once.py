"""optimizer.zero_grad() called ONCE before the loop instead of every step.

A refactor moved zero_grad() out of the step loop ("it is in Trainer.setup now"). .grad then holds
the running SUM of every gradient seen so far, so the gradient norm the optimizer uses grows
~linearly with the step count and the effective step size blows up.
--control: zero_grad() at every step (the only change).
"""
# expect: exploding_gradients
# allow: learning_rate_too_high, non_convergence, non_finite, dead_units
# forbid: *
# evidence: regression MLP (standardised target, var 1.0), SGD 3e-3 mom 0.9; probe = total grad norm per step: planted (zero_grad once) grows 0.85 -> 133 (end of epoch 0) -> 8.9e5 (epoch 2) -> 2.3e13, loss diverges to val_mse 1.06e24; control (zero_grad every step): grad norm max 2.87, last 0.55, val_mse 0.0124, train_mse 0.0087
# control: --control
# native-log: log.csv
# log-expect:
# log-allow: learning_rate_too_high, non_convergence, exploding_gradients, non_finite
import argparse, csv, json, math, os, random, tempfile
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_regression
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
random.seed(11); np.random.seed(11); torch.manual_seed(11)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()


@dataclass
class Config:
    lr: float = 3e-3
    epochs: int = 10
    batch_size: int = 32
    zero_grad_every_step: bool = False


cfg = Config(zero_grad_every_step=args.control)
X, y, coef = make_regression(n_samples=2400, n_features=16, n_informative=10, noise=5.0, coef=True, random_state=11)
y = y + 0.02 * (X[:, 0] * X[:, 1]) * 50
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=11)
ym, ys = ytr.mean(), ytr.std()
Xtr = torch.tensor(Xtr, dtype=torch.float32); Xva = torch.tensor(Xva, dtype=torch.float32)
ytr = torch.tensor((ytr - ym) / ys, dtype=torch.float32); yva = torch.tensor((yva - ym) / ys, dtype=torch.float32)


class Trainer:
    def __init__(self):
        self.model = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
        self.opt = torch.optim.SGD(self.model.parameters(), lr=cfg.lr, momentum=0.9)
        self.f = open(os.path.join(LOG_DIR, "log.csv"), "w", newline=""); self.w = csv.writer(self.f)
        self.w.writerow(["step", "epoch", "loss", "val_loss", "lr"])
        self.gnorms = []

    def setup(self):
        self.opt.zero_grad()

    def fit(self):
        self.setup(); step = 0
        for epoch in range(cfg.epochs):
            perm = torch.randperm(len(Xtr))
            for i in range(0, len(perm), cfg.batch_size):
                j = perm[i:i + cfg.batch_size]
                if cfg.zero_grad_every_step:
                    self.opt.zero_grad()
                loss = F.mse_loss(self.model(Xtr[j]).squeeze(1), ytr[j])
                loss.backward()
                gn = math.sqrt(sum(float(p.grad.norm()) ** 2 for p in self.model.parameters()))
                self.gnorms.append(gn)
                self.opt.step(); step += 1
                self.w.writerow([step, epoch, f"{loss.item():.6g}", "", cfg.lr])
            with torch.no_grad():
                vl = F.mse_loss(self.model(Xva).squeeze(1), yva).item()
            self.w.writerow([step, epoch, "", f"{vl:.6g}", cfg.lr]); self.f.flush()
            print(f"epoch {epoch} last loss {loss.item():.4g} val_mse {vl:.4g} grad_norm first/last of epoch {self.gnorms[-len(range(0, len(perm), cfg.batch_size))]:.3g}/{gn:.3g}")
        self.f.close(); return vl


tr = Trainer(); vl = tr.fit()
with torch.no_grad():
    trl = F.mse_loss(tr.model(Xtr).squeeze(1), ytr).item()
fin = lambda v: round(v, 4) if math.isfinite(v) else str(v)
print("CORPUS_METRIC " + json.dumps({"val_mse": fin(vl), "target_var": 1.0, "train_mse": fin(trl),
                                     "grad_norm_step1": fin(tr.gnorms[0]), "grad_norm_max": fin(max(tr.gnorms)), "grad_norm_last": fin(tr.gnorms[-1])}))
