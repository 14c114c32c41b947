# expect:
# allow:
# forbid: *
# evidence: held-out test mse 0.082 vs irreducible noise variance 0.0625 and target variance 0.70 (R2 0.884 of a best-possible 0.911); EarlyStopping ends it at epoch 29 and restores the best valid_loss weights
# native-log: history.json
# log-expect:
# log-allow:
"""skorch NeuralNetRegressor on a small, noisy data set, no Pipeline and no scaler (the inputs
are fractions in [0, 1] already). Tiny batches of 8 give a jumpy train-loss curve; AdamW with
weight decay, dropout, and skorch's EarlyStopping(load_best=True) on valid_loss end the run.
"""
import json
import os
import tempfile

import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(6)

from skorch import NeuralNetRegressor
from skorch.callbacks import EarlyStopping
from skorch.dataset import ValidSplit

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="skorch_tiny_")
os.makedirs(LOG_DIR, exist_ok=True)
rng = np.random.default_rng(6)
D = 5
NOISE_SD = 0.25


def sample(n):
    x = rng.uniform(0, 1, size=(n, D))
    y = (1.5 * np.sin(np.pi * x[:, 0]) + 2 * (x[:, 1] - 0.5) ** 2 * 4 + x[:, 2] * x[:, 3]
         + rng.normal(0, NOISE_SD, n))
    return x.astype(np.float32), y.astype(np.float32)[:, None]


x_train, y_train = sample(800)
x_test, y_test = sample(1000)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Dropout(0.1), nn.Linear(64, 64),
                               nn.ReLU(), nn.Linear(64, 1))

    def forward(self, x):
        return self.f(x)


net = NeuralNetRegressor(
    Net, optimizer=torch.optim.AdamW, optimizer__weight_decay=1e-3, lr=2e-3, max_epochs=60,
    batch_size=8, iterator_train__shuffle=True, train_split=ValidSplit(0.2, random_state=0),
    callbacks=[EarlyStopping(monitor="valid_loss", patience=6, load_best=True)], verbose=0,
)
net.fit(x_train, y_train)
net.save_params(f_history=os.path.join(LOG_DIR, "history.json"))

test_mse = float(np.mean((net.predict(x_test) - y_test) ** 2))
var = float(y_test.var())
metric = {"val_mse": round(test_mse, 4), "target_var": round(var, 4),
          "r2": round(1 - test_mse / var, 4), "noise_var": NOISE_SD ** 2,
          "train_loss": round(float(net.history[-1, "train_loss"]), 4),
          "epochs_run": len(net.history)}
print("CORPUS_METRIC " + json.dumps(metric))
