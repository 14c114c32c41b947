"""skorch: NeuralNetRegressor with a predefined validation split and cosine annealing.

Predicting a physical-style response (damped oscillation amplitude) from 6 standardised inputs.
AdamW with weight decay, CosineAnnealingLR stepped per epoch, a predefined_split on a held-out
Dataset, history saved with to_file.
"""
# expect:
# allow:
# forbid: *
# evidence: held-out val_mse 0.0134 against target variance 0.154 (R^2 0.91; the noise floor is 0.010, i.e. best possible R^2 ~0.935); train/valid loss (standardised units) 0.065/0.081
# native-log: history.json
# log-expect:
# log-allow:
import os
import sys
import json
import tempfile

import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(123)
from skorch import NeuralNetRegressor
from skorch.callbacks import LRScheduler
from skorch.dataset import Dataset
from skorch.helper import predefined_split

logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(logdir, exist_ok=True)


def simulate(n, rs):
    x = rs.uniform(-1, 1, size=(n, 6)).astype(np.float32)
    damp = 0.5 + 0.4 * x[:, 0]
    freq = 2.0 + x[:, 1]
    t = 1.5 + x[:, 2]
    amp = np.exp(-damp * t) * np.cos(freq * t + x[:, 3]) * (1 + 0.5 * x[:, 4]) + 0.3 * x[:, 5] ** 2
    amp = amp + rs.normal(0, 0.1, n)
    return x, amp.astype(np.float32).reshape(-1, 1)


rs = np.random.RandomState(8)
X_tr, y_tr = simulate(3000, rs)
X_va, y_va = simulate(800, rs)
ymu, ysd = y_tr.mean(), y_tr.std()
y_tr_s, y_va_s = (y_tr - ymu) / ysd, (y_va - ymu) / ysd
mu, sd = X_tr.mean(0), X_tr.std(0)
X_tr, X_va = (X_tr - mu) / sd, (X_va - mu) / sd


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(6, 128), nn.SiLU(), nn.Linear(128, 128), nn.SiLU(), nn.Linear(128, 1))

    def forward(self, x):
        return self.f(x)


MAX_EPOCHS = 40
reg = NeuralNetRegressor(
    MLP,
    optimizer=torch.optim.AdamW,
    optimizer__weight_decay=1e-3,
    lr=3e-3,
    batch_size=128,
    max_epochs=MAX_EPOCHS,
    train_split=predefined_split(Dataset(X_va, y_va_s)),
    callbacks=[LRScheduler(policy=torch.optim.lr_scheduler.CosineAnnealingLR, T_max=MAX_EPOCHS, eta_min=1e-5)],
    verbose=0,
)
reg.fit(X_tr, y_tr_s)
reg.history.to_file(os.path.join(logdir, "history.json"))
for row in reg.history[::8]:
    print(f"epoch {row['epoch']}: train {row['train_loss']:.4f} valid {row['valid_loss']:.4f}")

pred = reg.predict(X_va) * ysd + ymu
val_mse = float(((pred - y_va) ** 2).mean())
print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 5), "target_var": round(float(y_va.var()), 5),
                                     "r2": round(1 - val_mse / float(y_va.var()), 4),
                                     "val_loss": round(float(reg.history[-1, "valid_loss"]), 5),
                                     "train_loss": round(float(reg.history[-1, "train_loss"]), 5)}))
