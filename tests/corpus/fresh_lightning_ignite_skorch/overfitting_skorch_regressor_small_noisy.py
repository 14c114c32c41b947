# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (80 fitting rows) train_loss -> <0.01 while valid_loss bottoms at 1.165 (epoch 17) and climbs to 1.321; held-out test_mse 1.678 vs target variance 1.81 (noise floor 0.64). Control (1500 rows, same net/epochs/steps) test_mse 0.780
# control: --control
# native-log: history.json
# log-expect: overfitting
# log-allow: high_variance
"""skorch NeuralNetRegressor: a wide 3-layer MLP fitted for 120 epochs to 100 noisy samples of
a 6-d function (noise sd 0.8), 20% ValidSplit, no weight decay, no early stopping.
Planted: the tiny training set (80 fitting rows) for a 2x192 network trained that long.
--control draws 15x more training rows (1500); batch size is a quarter of the training rows
in both runs, so both take the same 480 optimiser steps. History saved with save_params."""
import argparse
import json
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
from skorch import NeuralNetRegressor
from skorch.callbacks import EpochScoring
from skorch.dataset import ValidSplit

torch.set_num_threads(1)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="skorch_of_")
NOISE_SD = 0.8


def draw(n, seed):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.5, 1.5, size=(n, 6))
    y = (np.sin(2 * X[:, 0]) + 0.6 * X[:, 1] ** 2 - 0.8 * X[:, 2] * X[:, 3] + 0.5 * X[:, 4]
         + NOISE_SD * rng.standard_normal(n))
    return X.astype(np.float32), y.astype(np.float32).reshape(-1, 1)


class WideMLP(nn.Module):
    def __init__(self, width=192):
        super().__init__()
        self.seq = nn.Sequential(nn.Linear(6, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(),
                                 nn.Linear(width, 1))

    def forward(self, X):
        return self.seq(X)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="15x more training rows")
    args = ap.parse_args()
    torch.manual_seed(0)

    n_train = 1500 if args.control else 100
    X_train, y_train = draw(n_train, seed=1)
    X_test, y_test = draw(2000, seed=2)

    net = NeuralNetRegressor(
        WideMLP,
        optimizer=torch.optim.Adam,
        lr=1e-3,
        max_epochs=120,
        batch_size=int(0.8 * n_train) // 4,
        iterator_train__shuffle=True,
        train_split=ValidSplit(0.2, random_state=0),
        callbacks=[("valid_r2", EpochScoring("r2", lower_is_better=False))],
        verbose=0,
    )
    net.fit(X_train, y_train)
    net.save_params(f_history=os.path.join(LOG_DIR, "history.json"))

    pred = net.predict(X_test)
    pred_train = net.predict(X_train)
    vl = net.history[:, "valid_loss"]
    print("CORPUS_METRIC " + json.dumps({
        "test_mse": round(float(np.mean((pred - y_test) ** 2)), 4),
        "train_mse": round(float(np.mean((pred_train - y_train) ** 2)), 4),
        "target_var": round(float(y_test.var()), 4),
        "noise_var": round(NOISE_SD ** 2, 4),
        "best_valid_loss": round(float(min(vl)), 4),
        "best_epoch": int(np.argmin(vl)) + 1,
        "final_valid_loss": round(float(vl[-1]), 4),
    }))


if __name__ == "__main__":
    main()
