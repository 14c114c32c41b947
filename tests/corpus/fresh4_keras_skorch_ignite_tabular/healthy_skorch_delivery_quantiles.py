# expect:
# allow:
# forbid: *
# evidence: parcel delivery hours, P10/P50/P90 pinball-loss MLP: held-out P10-P90 coverage 0.82 (target 0.80), P50 MAE 2.18 h vs 8.05 h for the constant median; early-stopped at epoch 19
# native-log: delivery_history.json
# log-expect:
# log-allow:
"""Quantile regression (P10/P50/P90) of parcel delivery time in hours -- skorch + pinball loss."""
import json
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
from skorch import NeuralNetRegressor
from skorch.callbacks import Checkpoint, EarlyStopping, LRScheduler
from skorch.dataset import Dataset
from skorch.helper import predefined_split

torch.set_num_threads(1)
torch.manual_seed(101)
QUANTILES = (0.1, 0.5, 0.9)


class PinballLoss(nn.Module):
    def __init__(self, quantiles=QUANTILES):
        super().__init__()
        self.register_buffer("q", torch.tensor(quantiles).view(1, -1))

    def forward(self, pred, target):
        err = target - pred            # target is (N, 1), pred (N, len(q))
        return torch.maximum(self.q * err, (self.q - 1) * err).mean()


class QuantileMLP(nn.Module):
    def __init__(self, n_in, hidden=64):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(n_in, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU())
        self.head = nn.Linear(hidden, len(QUANTILES))

    def forward(self, x):
        return self.head(self.trunk(x))


def shipments(n, rng):
    distance_km = rng.gamma(2.0, 120.0, n)
    weight_kg = rng.lognormal(1.0, 0.8, n)
    hub_load = rng.uniform(0, 1, n)
    weekend = (rng.random(n) < 0.28).astype(float)
    rural = (rng.random(n) < 0.3).astype(float)
    base = 6 + 0.045 * distance_km + 10 * hub_load ** 2 + 8 * weekend + 5 * rural
    scale = 1.5 + 4 * hub_load + 2 * rural          # heteroscedastic, right-skewed delay
    hours = base + rng.gamma(2.0, scale / 2.0, n)
    feats = np.column_stack([np.log1p(distance_km), np.log(weight_kg), hub_load, weekend, rural])
    return feats.astype(np.float32), hours.astype(np.float32)[:, None]


rng = np.random.default_rng(101)
X, y = shipments(5000, rng)
mu, sd = X[:4000].mean(0), X[:4000].std(0)
X = (X - mu) / sd
y_mu, y_sd = y[:4000].mean(), y[:4000].std()
yz = (y - y_mu) / y_sd
Xtr, ytr, Xva, yva = X[:4000], yz[:4000], X[4000:], yz[4000:]

ckpt_dir = tempfile.mkdtemp()
net = NeuralNetRegressor(
    QuantileMLP,
    module__n_in=X.shape[1],
    criterion=PinballLoss,
    optimizer=torch.optim.AdamW,
    optimizer__weight_decay=1e-4,
    lr=2e-3,
    max_epochs=30,
    batch_size=64,
    train_split=predefined_split(Dataset(Xva, yva)),
    callbacks=[
        LRScheduler(policy="ReduceLROnPlateau", monitor="valid_loss", patience=3, factor=0.5),
        EarlyStopping(monitor="valid_loss", patience=6, load_best=True),
        Checkpoint(monitor="valid_loss_best", dirname=ckpt_dir, f_history=None),
    ],
    iterator_train__shuffle=True,
    verbose=0,
)
net.fit(Xtr, ytr)

log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
net.save_params(f_history=os.path.join(log_dir, "delivery_history.json"))

q = net.predict(Xva) * y_sd + y_mu
hours = yva * y_sd + y_mu
coverage = float(((hours[:, 0] >= q[:, 0]) & (hours[:, 0] <= q[:, 2])).mean())
mae_p50 = float(np.abs(hours[:, 0] - q[:, 1]).mean())
mae_const = float(np.abs(hours[:, 0] - np.median(y[:4000])).mean())
best_valid = float(min(net.history[:, "valid_loss"]))
print(f"epochs {len(net.history)}; P10-P90 coverage {coverage:.3f}; P50 MAE {mae_p50:.2f} h (constant median {mae_const:.2f} h)")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(best_valid, 4), "train_loss": round(float(net.history[-1, "train_loss"]), 4),
                                      "val_p10_p90_coverage": round(coverage, 4), "val_mae_p50_hours": round(mae_p50, 3),
                                      "const_mae_hours": round(mae_const, 3)}))
