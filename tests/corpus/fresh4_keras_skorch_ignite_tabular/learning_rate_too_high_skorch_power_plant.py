# expect: learning_rate_too_high
# allow: exploding_gradients, non_finite, non_convergence, high_bias, dead_units
# forbid: *
# evidence: planted (SGD lr=0.2, momentum 0.9) val_mse 0.094, valid loss swinging 0.048-0.27 between epochs without settling (target variance 1.04); control (--control, lr=0.01) val_mse 0.032, smooth
# control: --control
# native-log: history.json
# log-expect:
# log-allow: learning_rate_too_high, non_convergence
"""Combined-cycle power plant: predict net electrical output from ambient sensor readings."""
import json
import os
import sys
import tempfile

import numpy as np
import torch
from torch import nn
from skorch import NeuralNetRegressor
from skorch.dataset import Dataset
from skorch.helper import predefined_split

torch.set_num_threads(1)
torch.manual_seed(3)

LR = 0.01 if "--control" in sys.argv else 0.2
EPOCHS = 20
SENSORS = ["ambient_temp", "exhaust_vacuum", "ambient_pressure", "rel_humidity"]

rng = np.random.default_rng(3)
N = 4000
temp = rng.uniform(2, 37, N)
vac = 25 + 1.2 * temp + rng.normal(0, 5, N)
press = rng.normal(1013, 6, N)
hum = np.clip(rng.normal(73, 14, N) - 0.5 * (temp - 20), 20, 100)
power = 497 - 1.8 * temp - 0.25 * vac + 0.06 * (press - 1013) - 0.15 * (hum - 70) + 0.012 * (temp - 20) ** 2 \
    + rng.normal(0, 3.5, N)

X = np.column_stack([temp, vac, press, hum])
X = (X - X[:3200].mean(0)) / X[:3200].std(0)
y = ((power - power[:3200].mean()) / power[:3200].std())[:, None]
X, y = X.astype(np.float32), y.astype(np.float32)
X_tr, y_tr, X_va, y_va = X[:3200], y[:3200], X[3200:], y[3200:]


class PlantMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))

    def forward(self, x):
        return self.net(x)


reg = NeuralNetRegressor(
    PlantMLP,
    optimizer=torch.optim.SGD,
    optimizer__momentum=0.9,
    lr=LR,
    max_epochs=EPOCHS,
    batch_size=32,
    train_split=predefined_split(Dataset(X_va, y_va)),
    verbose=0,
)
reg.fit(X_tr, y_tr)

logs = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
reg.history.to_file(os.path.join(logs, "history.json"))

pred = reg.predict(X_va)
val_mse = float(np.mean((pred - y_va) ** 2))
print("valid_loss per epoch:", [round(float(v), 3) for v in reg.history[:, "valid_loss"]])
print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 4), "train_loss": round(float(reg.history[-1, "train_loss"]), 4),
                                      "target_var": round(float(y_va.var()), 4), "lr": LR}))
