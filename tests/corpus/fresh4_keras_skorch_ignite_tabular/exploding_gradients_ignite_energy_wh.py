# expect: exploding_gradients
# allow: non_finite, learning_rate_too_high, non_convergence, unnormalized_inputs
# forbid: *
# evidence: planted (target left in Wh, SGD lr 1e-3) first-layer grad norm 1.6e3 -> 4.9e6 -> inf in the first 3 steps, loss NaN from then on, no usable model; control (--control, target standardised) grad norm <= 0.77, val mse 2.15 kWh^2 vs target variance 57.3
# control: --control
# native-log: train_log.csv
# log-expect: non_finite
# log-allow: non_convergence, learning_rate_too_high, exploding_gradients
"""Daily building energy use (Wh) from standardised weather/occupancy sensor aggregates.

The target is left in Wh (mean ~24 kWh). --control trains on the target in standard units.
"""
import csv
import json
import os
import sys
import tempfile

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from ignite.engine import Events, create_supervised_evaluator, create_supervised_trainer
from ignite.metrics import MeanSquaredError

torch.set_num_threads(1)
torch.manual_seed(21)
rng = np.random.default_rng(21)

SCALE_TARGET = "--control" in sys.argv

N = 3000
outdoor_c = rng.normal(12, 9, N)
occupancy = rng.uniform(0, 1, N)
solar = rng.gamma(2.0, 1.5, N)
weekend = (rng.random(N) < 2 / 7).astype(float)
hdd = np.maximum(18 - outdoor_c, 0)
cdd = np.maximum(outdoor_c - 22, 0)
energy_wh = 9000 + 900 * hdd + 1400 * cdd + 12000 * occupancy * (1 - 0.6 * weekend) - 700 * solar + rng.normal(0, 1200, N)

X = np.column_stack([(outdoor_c - 12) / 9, occupancy * 2 - 1, (solar - 3) / 2.1, weekend * 2 - 1]).astype(np.float32)
y = energy_wh.astype(np.float32)
y_mu, y_sd = y[:2400].mean(), y[:2400].std()
y_fit = (y - y_mu) / y_sd if SCALE_TARGET else y
to_wh = (lambda v: v * y_sd + y_mu) if SCALE_TARGET else (lambda v: v)

train_loader = DataLoader(TensorDataset(torch.tensor(X[:2400]), torch.tensor(y_fit[:2400, None])), batch_size=32, shuffle=True)
val_loader = DataLoader(TensorDataset(torch.tensor(X[2400:]), torch.tensor(y_fit[2400:, None])), batch_size=600)

model = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
trainer = create_supervised_trainer(model, opt, nn.MSELoss())
evaluator = create_supervised_evaluator(model, metrics={"mse": MeanSquaredError()})

logfile = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "train_log.csv")
with open(logfile, "w", newline="") as f:
    csv.writer(f).writerow(["epoch", "iteration", "train_loss", "val_mse"])


def write_row(*row):
    with open(logfile, "a", newline="") as f:
        csv.writer(f).writerow(row)

grad_norms = []


@trainer.on(Events.ITERATION_COMPLETED)
def track_grad(engine):
    g = model[0].weight.grad
    grad_norms.append(float(g.norm()) if g is not None else 0.0)
    if engine.state.iteration % 5 == 0:
        write_row(engine.state.epoch, engine.state.iteration, engine.state.output, "")


@trainer.on(Events.EPOCH_COMPLETED)
def on_epoch(engine):
    evaluator.run(val_loader)
    write_row(engine.state.epoch, engine.state.iteration, engine.state.output, evaluator.state.metrics["mse"])


trainer.run(train_loader, max_epochs=15)

model.eval()
with torch.no_grad():
    pred_wh = to_wh(model(torch.tensor(X[2400:])).squeeze(1).numpy())
val_mse_kwh = float(np.mean((pred_wh / 1000 - y[2400:] / 1000) ** 2))
g = np.array(grad_norms)
finite_g = g[np.isfinite(g)]
print("first-layer grad norm, steps 1-8:", [f"{v:.3g}" for v in g[:8]])
print(f"max finite first-layer grad norm {finite_g.max():.3g}; non-finite steps {int((~np.isfinite(g)).sum())}; val mse (kWh^2) {val_mse_kwh:.4g}")
print("CORPUS_METRIC " + json.dumps({"val_mse_kwh2": val_mse_kwh if np.isfinite(val_mse_kwh) else None,
                                      "target_var_kwh2": round(float(np.var(y[2400:] / 1000)), 3),
                                      "max_finite_first_layer_grad_norm": float(finite_g.max()),
                                      "finite": bool(np.isfinite(val_mse_kwh))}))
