"""pytorch-ignite: custom Engine process_function training an MLP regressor (CSV metrics).

Planted: a "deterministic init for reproducibility" helper sets every Linear weight to the same
constant (`nn.init.constant_(w, 0.01)`) and every bias to 0. All hidden units in a layer start
identical and receive identical gradients, so the symmetry is never broken: the 64-wide layers
behave like a single unit. --control leaves PyTorch's default (Kaiming-uniform) init in place.
"""
# expect: poor_initialization
# allow: high_bias, non_convergence, vanishing_gradients
# forbid: *
# evidence: control (default init) val_mse 0.020 vs target variance 0.92; planted (constant 0.01) val_mse 0.49, train_mse 0.54 (each 64-wide layer acts as a single unit); probe: std across layer-1 units is 0.0 planted (all units identical after 15 epochs)
# control: --control
# native-log: regression_metrics.csv
# log-expect:
# log-allow: high_bias, non_convergence
import os
import sys
import csv
import json
import tempfile

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader

torch.set_num_threads(1)
torch.manual_seed(12)
from ignite.engine import Engine, Events
from ignite.metrics import MeanSquaredError

CONTROL = "--control" in sys.argv
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOGDIR, exist_ok=True)

rs = np.random.default_rng(2)
N = 4000
X = rs.normal(size=(N, 10)).astype(np.float32)
y = (np.sin(1.5 * X[:, 0]) + 0.5 * X[:, 1] * X[:, 2] - 0.6 * np.abs(X[:, 3]) + 0.4 * X[:, 4]
     + 0.1 * rs.normal(size=N)).astype(np.float32)
y = (y - y.mean()) / y.std()
Xt, yt = torch.from_numpy(X), torch.from_numpy(y).unsqueeze(1)
train_loader = DataLoader(TensorDataset(Xt[:3200], yt[:3200]), batch_size=32, shuffle=True)
val_loader = DataLoader(TensorDataset(Xt[3200:], yt[3200:]), batch_size=800)

model = nn.Sequential(nn.Linear(10, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 1))


def deterministic_init(m):
    if isinstance(m, nn.Linear):
        nn.init.constant_(m.weight, 0.01)
        nn.init.zeros_(m.bias)


if not CONTROL:
    model.apply(deterministic_init)

optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
mse = nn.MSELoss()


def update(engine, batch):
    model.train()
    xb, yb = batch
    optimizer.zero_grad(set_to_none=True)
    loss = mse(model(xb), yb)
    loss.backward()
    optimizer.step()
    return {"loss": loss.item()}


def infer(engine, batch):
    model.eval()
    with torch.no_grad():
        xb, yb = batch
        return model(xb), yb


trainer, evaluator = Engine(update), Engine(infer)
MeanSquaredError().attach(evaluator, "mse")
rows = []


@trainer.on(Events.EPOCH_COMPLETED)
def run_val(engine):
    evaluator.run(val_loader)
    rows.append({"epoch": engine.state.epoch, "train_loss": engine.state.output["loss"],
                 "val_mse": evaluator.state.metrics["mse"], "lr": optimizer.param_groups[0]["lr"]})
    print("epoch {epoch:2d} train_loss {train_loss:.4f} val_mse {val_mse:.4f}".format(**rows[-1]))


trainer.run(train_loader, max_epochs=15)
with open(os.path.join(LOGDIR, "regression_metrics.csv"), "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0]))
    w.writeheader()
    w.writerows(rows)

with torch.no_grad():
    h1 = model[1](model[0](Xt[3200:]))
    unit_spread = float(h1.std(1).mean())
    train_mse = float(mse(model(Xt[:3200]), yt[:3200]))
print("mean std across layer-1 units (0 = all units identical):", round(unit_spread, 5))
print("CORPUS_METRIC " + json.dumps({"val_mse": round(evaluator.state.metrics["mse"], 4),
                                     "val_loss": round(evaluator.state.metrics["mse"], 4),
                                     "train_loss": round(train_mse, 4),
                                     "target_var": round(float(yt[3200:].var()), 4)}))
