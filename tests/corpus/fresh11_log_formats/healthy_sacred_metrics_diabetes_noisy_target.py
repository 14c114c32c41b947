# expect:
# allow:
# forbid: *
# evidence: diabetes (standardised target), MLP 10-32-1, 40 epochs: train MSE 0.844 -> 0.411, val MSE 0.634 -> 0.432 at epoch 10, then flat 0.433-0.442 (final 0.441, val R^2 0.62 with val target variance 1.165); a ridge regression on the same split gets val MSE 0.475, so the remaining error is the data's noise, not underfitting; train and val MSE stay within 0.03 of each other
# native-log: sacred_runs/1/metrics.json
# log-expect:
# log-allow:
"""Small MLP on sklearn's diabetes data; metrics stored the way Sacred's FileStorageObserver does.

The diabetes target is mostly noise as far as these 10 features go (linear models explain about
half of its variance), so the MLP's train and validation MSE level off around half the target
variance.  That is the data's ceiling, not underfitting: a ridge regression on the same split,
printed for reference, does no better.  sacred_runs/1/metrics.json has Sacred's layout,
{"train.loss": {"steps": [...], "timestamps": [...], "values": [...]}, "val.loss": ..., ...};
run.json and config.json are written next to it.  Adam + ReduceLROnPlateau, weight decay.
"""
import datetime
import json
import os
import random
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge

torch.set_num_threads(1)
SEED = 17
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="sacred_diab_")
RUN = os.path.join(LOG_DIR, "sacred_runs", "1")
os.makedirs(RUN, exist_ok=True)

X, y = load_diabetes(return_X_y=True)
perm = np.random.RandomState(0).permutation(len(X))
X, y = X[perm], y[perm]
X = (X - X[:350].mean(0)) / X[:350].std(0)
y = (y - y[:350].mean()) / y[:350].std()
Xtr, ytr, Xva, yva = X[:350], y[:350], X[350:], y[350:]
ridge = Ridge(alpha=1.0).fit(Xtr, ytr)
ridge_val = float(np.mean((ridge.predict(Xva) - yva) ** 2))
Xtr_t, ytr_t = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(ytr, dtype=torch.float32)
Xva_t, yva_t = torch.tensor(Xva, dtype=torch.float32), torch.tensor(yva, dtype=torch.float32)

config = {"hidden": 32, "lr": 3e-3, "weight_decay": 1e-3, "epochs": 40, "batch_size": 16, "seed": SEED}
model = nn.Sequential(nn.Linear(10, config["hidden"]), nn.ReLU(), nn.Dropout(0.1), nn.Linear(config["hidden"], 1))
opt = torch.optim.Adam(model.parameters(), lr=config["lr"], weight_decay=config["weight_decay"])
sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=5)
metrics = {}
t0 = datetime.datetime(2024, 6, 11, 9, 0, 0)


def log_scalar(name, value, step):
    m = metrics.setdefault(name, {"steps": [], "timestamps": [], "values": []})
    m["steps"].append(step)
    m["timestamps"].append((t0 + datetime.timedelta(seconds=0.05 * step)).isoformat())
    m["values"].append(value)


for epoch in range(config["epochs"]):
    model.train()
    p = torch.randperm(len(Xtr_t))
    tot = 0.0
    for i in range(0, len(Xtr_t), config["batch_size"]):
        b = p[i:i + config["batch_size"]]
        loss = F.mse_loss(model(Xtr_t[b]).squeeze(1), ytr_t[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(b)
    model.eval()
    with torch.no_grad():
        vl = F.mse_loss(model(Xva_t).squeeze(1), yva_t).item()
    log_scalar("train.loss", tot / len(Xtr_t), epoch)
    log_scalar("val.loss", vl, epoch)
    log_scalar("val.r2", 1 - vl / float(yva.var()), epoch)
    log_scalar("lr", opt.param_groups[0]["lr"], epoch)
    sched.step(vl)
    if epoch % 10 == 9 or epoch == 0:
        print(f"epoch {epoch + 1:2d} train mse {tot / len(Xtr_t):.4f} val mse {vl:.4f} lr {opt.param_groups[0]['lr']:.1e}")

with open(os.path.join(RUN, "metrics.json"), "w") as f:
    json.dump(metrics, f, indent=2)
with open(os.path.join(RUN, "config.json"), "w") as f:
    json.dump(config, f, indent=2)
with open(os.path.join(RUN, "run.json"), "w") as f:
    json.dump({"experiment": {"name": "diabetes_mlp"}, "status": "COMPLETED", "start_time": t0.isoformat(),
               "result": vl}, f, indent=2)
with torch.no_grad():
    tr_mse = F.mse_loss(model(Xtr_t).squeeze(1), ytr_t).item()
print(f"ridge reference: val mse {ridge_val:.4f}; target variance (val) {yva.var():.4f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 4), "train_mse": round(tr_mse, 4), "target_var": round(float(yva.var()), 4),
                                      "ridge_val_mse": round(ridge_val, 4)}))
