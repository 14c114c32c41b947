"""pytorch-ignite: apartment rent regression with create_supervised_trainer and SGD + momentum.

Inputs are standardised, but planted: the target is left in raw currency units (monthly rent,
~500-5000) instead of being standardised like the inputs, so the MSE and its gradients are ~1e6
times larger than the lr was chosen for; the gradient norm grows step by step until the weights
overflow. --control standardises the target with the training mean/std (and un-scales the
predictions for the metric). Iteration-level loss and gradient norm go to a JSONL file.
"""
# expect: exploding_gradients
# allow: non_finite, learning_rate_too_high, non_convergence
# forbid: *
# evidence: control (standardised target) val R^2 0.96 (val_mse 1.7e4 rent^2 vs variance 4.8e5), grad norm 1-2 throughout; planted (raw rent target) grad norm 6e3 -> 1e5 -> 5e10 -> 2e19 over iterations 1-4, loss inf at 5, NaN from then on, val_mse NaN
# control: --control
# native-log: train_steps.jsonl
# log-expect: non_finite
# log-allow: exploding_gradients, learning_rate_too_high, non_convergence
import os
import sys
import json
import math
import tempfile

import numpy as np
import torch
from torch import nn
from torch.utils.data import TensorDataset, DataLoader

torch.set_num_threads(1)
torch.manual_seed(9)
from ignite.engine import Events, create_supervised_trainer, create_supervised_evaluator
from ignite.metrics import MeanSquaredError

CONTROL = "--control" in sys.argv
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOGDIR, exist_ok=True)

rs = np.random.default_rng(100)
n = 3000
sqm = rs.uniform(20, 150, n)
rooms = np.clip(np.round(sqm / 25 + rs.normal(0, 0.7, n)), 1, 6)
floor = rs.integers(0, 12, n)
dist = rs.gamma(2.0, 2.5, n)
age = rs.uniform(0, 80, n)
balcony = (rs.random(n) < 0.5).astype(float)
rent = 300 + 22 * sqm * np.exp(-dist / 12) + 40 * floor ** 0.5 - 4 * age + 90 * balcony + rs.normal(0, 120, n)
X = np.column_stack([sqm, rooms, floor, dist, age, balcony]).astype(np.float32)
X = (X - X[:2400].mean(0)) / X[:2400].std(0)
y = rent.astype(np.float32)[:, None]
y_mu, y_sd = y[:2400].mean(), y[:2400].std()
y_fit = (y - y_mu) / y_sd if CONTROL else y  # BUG (planted): raw rent as the regression target

tr = TensorDataset(torch.from_numpy(X[:2400]), torch.from_numpy(y_fit[:2400]))
va = TensorDataset(torch.from_numpy(X[2400:]), torch.from_numpy(y_fit[2400:]))
model = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.002, momentum=0.9)
trainer = create_supervised_trainer(model, opt, nn.MSELoss())
evaluator = create_supervised_evaluator(model, metrics={"mse": MeanSquaredError()})
log = open(os.path.join(LOGDIR, "train_steps.jsonl"), "w")
first_bad = {}


@trainer.on(Events.ITERATION_COMPLETED)
def grad_log(engine):
    gn = math.sqrt(sum(float(p.grad.pow(2).sum()) for p in model.parameters() if p.grad is not None))
    if not math.isfinite(gn) and "it" not in first_bad:
        first_bad["it"] = engine.state.iteration
    if engine.state.iteration % 5 == 0 or engine.state.iteration <= 20:
        log.write(json.dumps({"iteration": engine.state.iteration, "loss": engine.state.output, "grad_norm": gn}) + "\n")


@trainer.on(Events.EPOCH_COMPLETED)
def val(engine):
    evaluator.run(DataLoader(va, batch_size=600))
    mse = float(evaluator.state.metrics["mse"] * (y_sd ** 2 if CONTROL else 1.0))  # in rent units^2
    log.write(json.dumps({"iteration": engine.state.iteration, "epoch": engine.state.epoch, "val_mse": mse}) + "\n")
    print(f"epoch {engine.state.epoch} train_loss {engine.state.output:.4g} val_mse(rent^2) {mse:.4g}")
    engine.state.val_mse = mse


trainer.run(DataLoader(tr, batch_size=32, shuffle=True), max_epochs=10)
log.close()
print("first non-finite gradient at iteration:", first_bad.get("it"))
var = float(y[2400:].var())
mse = trainer.state.val_mse
print("CORPUS_METRIC " + json.dumps({"val_mse": mse, "target_var": round(var, 2), "r2": 1 - mse / var,
                                     "val_loss": mse, "train_loss": trainer.state.output}))
