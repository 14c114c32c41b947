# Tabular regression (8 sensor channels -> flow rate). Flow-meter noise sd 0.2 -> Bayes MSE 0.04.
# The config carried over weight_decay=0.05 from a run where it was meant as 5e-4 (a typo of two
# orders of magnitude). --control: weight_decay=5e-4.
# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: Bayes MSE 0.04, var(y) 0.69; planted (wd 0.05) train MSE 0.493, dev MSE 0.469, flat from epoch 4 -> avoidable bias 0.45; control (wd 5e-4) train MSE 0.051, dev MSE 0.048
# control: --control
# native-log: history.json
# log-expect: high_bias
# log-allow: non_convergence
import json
import os
import sys
import tempfile

import numpy as np
import torch
from torch import nn
from skorch import NeuralNetRegressor
from skorch.callbacks import Callback
from skorch.dataset import ValidSplit

torch.set_num_threads(1)
torch.manual_seed(8)
BAYES_MSE = 0.04   # 0.2 ** 2
WD = 5e-4 if "--control" in sys.argv else 0.05


def flow_data(n, seed):
    r = np.random.RandomState(seed)
    X = r.uniform(-1, 1, size=(n, 8)).astype(np.float32)
    y = (1.5 * X[:, 0] ** 2 + np.sin(2 * X[:, 1]) * X[:, 2] + 0.8 * X[:, 3] - 0.6 * X[:, 4] * X[:, 5]
         + 0.2 * r.randn(n))
    return X, y.astype(np.float32)[:, None]


X, y = flow_data(5000, 0)


class Regressor(nn.Module):
    def __init__(self, width=96):
        super().__init__()
        self.hidden = nn.Sequential(nn.Linear(8, width), nn.Tanh(), nn.Linear(width, width), nn.Tanh())
        self.out = nn.Linear(width, 1)

    def forward(self, X):
        return self.out(self.hidden(X))


class BayesRow(Callback):
    def on_epoch_end(self, net, **kwargs):
        net.history.record("bayes_mse", BAYES_MSE)


model = NeuralNetRegressor(
    Regressor,
    optimizer=torch.optim.Adam,
    optimizer__weight_decay=WD,
    lr=3e-3,
    max_epochs=25,
    batch_size=64,
    train_split=ValidSplit(0.2, random_state=0),
    callbacks=[BayesRow()],
    verbose=0,
)
model.fit(X, y)
target = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(target, exist_ok=True)
model.save_params(f_history=os.path.join(target, "history.json"))

train_mse = model.history[-1, "train_loss"]
dev_mse = model.history[-1, "valid_loss"]
print(f"weight_decay={WD}  Bayes MSE {BAYES_MSE:.3f}  train MSE {train_mse:.4f}  dev MSE {dev_mse:.4f}  var(y) {y.var():.3f}")
print(f"avoidable bias {train_mse - BAYES_MSE:+.4f}   variance {dev_mse - train_mse:+.4f}")
print("CORPUS_METRIC " + json.dumps({"train_mse": round(train_mse, 4), "val_mse": round(dev_mse, 4),
                                     "bayes_mse": BAYES_MSE, "target_var": round(float(y.var()), 4),
                                     "train_err": round(train_mse, 4), "dev_err": round(dev_mse, 4),
                                     "bayes_err": BAYES_MSE}))
