"""Crop-yield regression from 3 field measurements, the weather noise is large.

The agronomists' replicate plots give a within-plot sd of 1.5 t/ha, so the Bayes MSE is 2.25.
Var(y) is ~6.3, i.e. even the perfect model only explains ~65% of the variance.
We train with batch size 4 (the way the field team runs it on a laptop), so the per-step loss
jumps around a lot. Logged as JSON lines: one record per 50 steps + one per epoch.
"""
# expect:
# allow:
# forbid: *
# evidence: Bayes MSE 2.25 (oracle on dev 2.18), var(y) 6.30; train MSE 2.365, dev MSE 2.418 -> avoidable bias +0.115, variance +0.053; per-step batch-4 loss ranges ~1-7.5 (noise, not instability)
# native-log: train_log.jsonl
# log-expect:
# log-allow:
import json
import os
import tempfile
import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(1)
SIGMA = 1.5
BAYES_MSE = SIGMA ** 2


def field_data(n, rng):
    x = rng.uniform(-1.5, 1.5, size=(n, 3))
    f = 2.0 * x[:, 0] - 1.0 * x[:, 1] + 0.8 * np.sin(3 * x[:, 2])
    y = f + SIGMA * rng.standard_normal(n)
    return torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32), torch.tensor(f, dtype=torch.float32)


rng = np.random.default_rng(42)
Xtr, ytr, ftr = field_data(1200, rng)
Xdv, ydv, fdv = field_data(1000, rng)
# the oracle (true mean function) on these very samples: the empirical Bayes floor
oracle_train, oracle_dev = ((ftr - ytr) ** 2).mean().item(), ((fdv - ydv) ** 2).mean().item()

model = nn.Sequential(nn.Linear(3, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1))
opt = torch.optim.Adam(model.parameters(), lr=5e-4)
mse = nn.MSELoss()
log_path = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "train_log.jsonl")
logf = open(log_path, "w")

step = 0
for epoch in range(12):
    for idx in torch.randperm(len(ytr)).split(4):
        pred = model(Xtr[idx]).squeeze(1)
        loss = mse(pred, ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if step % 50 == 0:
            logf.write(json.dumps({"step": step, "train_loss": round(loss.item(), 5)}) + "\n")
    with torch.no_grad():
        train_mse = mse(model(Xtr).squeeze(1), ytr).item()
        dev_mse = mse(model(Xdv).squeeze(1), ydv).item()
    logf.write(json.dumps({"step": step, "epoch": epoch + 1, "train_mse": round(train_mse, 5),
                           "val_loss": round(dev_mse, 5), "bayes_mse": BAYES_MSE}) + "\n")
    print(f"epoch {epoch + 1}: train MSE {train_mse:.3f}  dev MSE {dev_mse:.3f}  (Bayes {BAYES_MSE:.2f})")
logf.close()

var_y = ydv.var().item()
print(f"oracle MSE on train {oracle_train:.3f}, on dev {oracle_dev:.3f}")
print(f"avoidable bias {train_mse - BAYES_MSE:+.3f}  variance {dev_mse - train_mse:+.3f}  var(y) {var_y:.2f}")
print("CORPUS_METRIC " + json.dumps({"train_mse": round(train_mse, 4), "val_mse": round(dev_mse, 4),
                                     "bayes_mse": BAYES_MSE, "target_var": round(var_y, 3),
                                     "train_err": round(train_mse, 4), "dev_err": round(dev_mse, 4),
                                     "bayes_err": BAYES_MSE, "oracle_dev_mse": round(oracle_dev, 4)}))
