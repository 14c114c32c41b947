# expect: learning_rate_too_low
# allow: high_bias, non_convergence
# forbid: *
# evidence: control (SGD lr=1e-2) reaches test mse 0.178 (R2 0.93; target var 2.60, noise var 0.09); planted (lr=1e-5) ends at test mse 2.46 (R2 0.06), its loss still creeping down linearly (8.78 -> 2.49 over 30 epochs, only fitting the +2 offset)
# control: --control
# native-log: history.json
# log-expect: learning_rate_too_low
# log-allow: high_bias, non_convergence
"""skorch NeuralNetRegressor in a Pipeline(StandardScaler -> float32 -> net), plain SGD with
momentum. The lr was divided by 1000 "to be safe" after an earlier blow-up: 1e-5 instead of 1e-2.
--control uses lr=1e-2; everything else is identical.
"""
import argparse
import json
import os
import tempfile

import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(0)

from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from skorch import NeuralNetRegressor
from skorch.dataset import ValidSplit

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true")
cli = parser.parse_args()
LR = 1e-2 if cli.control else 1e-5

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="skorch_lrlow_")
os.makedirs(LOG_DIR, exist_ok=True)
rng = np.random.default_rng(5)
D = 10


def sample(n):
    x = rng.normal(size=(n, D)) * np.linspace(0.5, 20, D) + np.linspace(-3, 40, D)
    z = (x - np.linspace(-3, 40, D)) / np.linspace(0.5, 20, D)
    y = 1.5 * np.sin(z[:, 0]) + z[:, 1] * z[:, 2] + 0.8 * np.abs(z[:, 3]) + 0.5 * z[:, 4] \
        + rng.normal(0, 0.3, n)
    return x, y.astype(np.float32)[:, None] + 2.0


x_train, y_train = sample(2500)
x_test, y_test = sample(1000)


class Regressor(nn.Module):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(D, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(),
                               nn.Linear(64, 1))

    def forward(self, x):
        return self.f(x)


net = NeuralNetRegressor(
    Regressor, optimizer=torch.optim.SGD, optimizer__momentum=0.9, lr=LR, max_epochs=30,
    batch_size=32, iterator_train__shuffle=True, train_split=ValidSplit(0.2, random_state=0),
    verbose=0,
)
pipe = Pipeline([("scale", StandardScaler()),
                 ("f32", FunctionTransformer(lambda a: a.astype(np.float32))),
                 ("net", net)])
pipe.fit(x_train, y_train)
net.save_params(f_history=os.path.join(LOG_DIR, "history.json"))

test_mse = float(np.mean((pipe.predict(x_test) - y_test) ** 2))
var = float(y_test.var())
metric = {"val_mse": round(test_mse, 4), "target_var": round(var, 4),
          "r2": round(1 - test_mse / var, 4), "noise_var": 0.09,
          "train_loss": round(float(net.history[-1, "train_loss"]), 4),
          "first_epoch_train_loss": round(float(net.history[0, "train_loss"]), 4), "lr": LR}
print("CORPUS_METRIC " + json.dumps(metric))
