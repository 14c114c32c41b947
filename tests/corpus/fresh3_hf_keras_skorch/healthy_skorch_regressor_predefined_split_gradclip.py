# expect:
# allow:
# forbid: *
# evidence: test_mse 0.014 vs target variance 1.06 (standardised target, noise floor ~0.009); train_mse 0.012
# native-log: power/history.json
# log-expect:
# log-allow:
"""skorch NeuralNetRegressor for a smooth 'power-plant output' regression (8 standardised
inputs, target standardised), with a predefined validation split (predefined_split on a held-out
skorch Dataset from a later time window), GradientNormClipping(1.0), Checkpoint on the best
valid_loss (in a temp dir) and a StepLR schedule. Mini-batches of 16 with SGD+Nesterov, so the
per-batch loss is noisy, but valid_loss falls steadily and ends near the noise floor.
"""
import json
import os
import tempfile
import warnings

import numpy as np
import torch
from torch import nn
from skorch import NeuralNetRegressor
from skorch.callbacks import Checkpoint, GradientNormClipping, LRScheduler
from skorch.dataset import Dataset
from skorch.helper import predefined_split

warnings.filterwarnings("ignore")


class Regressor(nn.Module):
    def __init__(self, n_in=8, hidden=64):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(n_in, hidden), nn.SiLU(), nn.Linear(hidden, hidden),
                                  nn.SiLU(), nn.Linear(hidden, 1))

    def forward(self, X):
        return self.body(X)


def make_power(n, rng):
    x = rng.standard_normal((n, 8)).astype("float32")
    y = (np.sin(x[:, 0]) + 0.5 * x[:, 1] * x[:, 2] - 0.4 * x[:, 3] ** 2 + 0.3 * x[:, 4]
         + 0.1 * rng.standard_normal(n))
    return x, y.astype("float32").reshape(-1, 1)


def main():
    torch.set_num_threads(1)
    torch.manual_seed(15)
    rng = np.random.default_rng(15)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="power_")
    os.makedirs(os.path.join(log_dir, "power"), exist_ok=True)
    ckpt_dir = tempfile.mkdtemp(prefix="power_ckpt_")

    xtr, ytr = make_power(1500, rng)
    xva, yva = make_power(500, rng)
    xte, yte = make_power(1000, rng)
    mu, sd = ytr.mean(), ytr.std()
    ytr, yva, yte = (ytr - mu) / sd, (yva - mu) / sd, (yte - mu) / sd

    net = NeuralNetRegressor(
        Regressor, optimizer=torch.optim.SGD, lr=0.03, optimizer__momentum=0.9,
        optimizer__nesterov=True, batch_size=16, max_epochs=20,
        train_split=predefined_split(Dataset(xva, yva)),
        callbacks=[GradientNormClipping(gradient_clip_value=1.0),
                   LRScheduler(policy="StepLR", step_size=8, gamma=0.3),
                   Checkpoint(monitor="valid_loss_best", dirname=ckpt_dir, load_best=True)],
        verbose=0)
    net.fit(xtr, ytr)
    net.save_params(f_history=os.path.join(log_dir, "power", "history.json"))

    pte = net.predict(xte)
    print("CORPUS_METRIC " + json.dumps({
        "test_mse": round(float(((pte - yte) ** 2).mean()), 4),
        "train_mse": round(float(((net.predict(xtr) - ytr) ** 2).mean()), 4),
        "target_var": round(float(yte.var()), 4), "noise_var_std_units": round(0.01 / float(sd) ** 2, 4)}))


if __name__ == "__main__":
    main()
