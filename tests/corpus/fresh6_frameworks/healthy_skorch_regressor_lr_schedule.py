# expect:
# allow:
# forbid: *
# evidence: Pipeline(StandardScaler, NeuralNetRegressor), ReduceLROnPlateau: test mse 0.090 vs target var 3.74 (R2 0.976; noise var 0.0625)
# native-log: tb
# log-expect:
# log-allow:
"""skorch NeuralNetRegressor inside a sklearn Pipeline (StandardScaler on inputs), target
standardised, Adam + LRScheduler(ReduceLROnPlateau on valid_loss), EarlyStopping, EpochScoring(r2),
train_split=ValidSplit(5), TensorBoard callback. Data: 12-d inputs, smooth nonlinear target with
noise (noise variance ~2% of the target variance)."""
import os
import json
import tempfile
import warnings

import numpy as np
import torch
import torch.nn as nn
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from torch.utils.tensorboard import SummaryWriter
from skorch import NeuralNetRegressor
from skorch.callbacks import EarlyStopping, EpochScoring, LRScheduler, TensorBoard
from skorch.dataset import ValidSplit

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
torch.manual_seed(2)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="skr_")
rng = np.random.default_rng(2)
D = 12
SCALES = np.array([1, 10, 0.1, 5, 1, 1, 100, 1, 0.5, 2, 1, 1])  # raw units differ; the scaler fixes it


def sample(n):
    z = rng.normal(size=(n, D))
    t = np.tanh(z[:, 0] + z[:, 1]) * 2 + z[:, 2] * z[:, 3] + np.cos(z[:, 4]) + 0.5 * z[:, 5:].sum(1) / 2
    return (z * SCALES).astype(np.float32), (t + 0.25 * rng.normal(size=n)).astype(np.float32)


X, y = sample(2500)
X_test, y_test = sample(600)
ym, ys = y.mean(), y.std()


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(D, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 1))

    def forward(self, x):
        return self.net(x)


reg = NeuralNetRegressor(
    Net, max_epochs=30, lr=3e-3, optimizer=torch.optim.Adam, batch_size=64, iterator_train__shuffle=True,
    train_split=ValidSplit(5),
    callbacks=[
        EpochScoring("r2", lower_is_better=False, name="valid_r2"),
        LRScheduler(policy=torch.optim.lr_scheduler.ReduceLROnPlateau, monitor="valid_loss", patience=2, factor=0.5),
        EarlyStopping(monitor="valid_loss", patience=6),
        TensorBoard(SummaryWriter(os.path.join(LOG_DIR, "tb"))),
    ],
    verbose=0,
)
pipe = Pipeline([("scale", StandardScaler()), ("net", reg)])
pipe.fit(X, ((y - ym) / ys)[:, None])
pred = pipe.predict(X_test)[:, 0] * ys + ym
val_mse = float(np.mean((pred - y_test) ** 2))
print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 4), "target_var": round(float(y_test.var()), 4),
                                     "noise_var": 0.0625, "val_r2": round(1 - val_mse / float(y_test.var()), 4),
                                     "epochs_run": len(reg.history)}))
