# Yield-prediction pilot: 20 process variables, target = linear trend + a soft non-linearity + noise.
# Measurement noise sd = 0.5 is documented for the lab scale, so the Bayes MSE is 0.25.
# Pilot had 60 labelled batches; a 2x256 MLP was trained without any regularisation.
# --control: same model/training, 5000 labelled batches (the full historian export),
# (fewer passes are needed over the larger set: 12 epochs ~ 1900 updates vs 300)..
# expect: high_variance
# allow: overfitting
# forbid: *
# evidence: Bayes MSE 0.25, var(y) 16.3; planted (n=60) train MSE 0.000, dev MSE 2.36 -> variance 2.36; control (n=5000) train MSE 0.243, dev MSE 0.426 -> variance 0.18
# control: --control
# native-log: history.json
# log-expect: high_variance
# log-allow: overfitting
import json
import os
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn
from skorch import NeuralNetRegressor
from skorch.callbacks import Callback
from skorch.dataset import Dataset
from skorch.helper import predefined_split

torch.set_num_threads(1)
torch.manual_seed(11)

NOISE_SD = 0.5
BAYES_MSE = NOISE_SD ** 2
P = 20
coef = np.random.RandomState(123).randn(P) * (np.arange(P) < 12)   # 12 variables matter


def draw(n, seed):
    r = np.random.RandomState(seed)
    X = r.randn(n, P).astype(np.float32)
    y = X @ coef + np.sin(2 * X[:, 0]) + NOISE_SD * r.randn(n)
    return X, y.astype(np.float32).reshape(-1, 1)


n_train = 5000 if "--control" in sys.argv else 60
X_tr, y_tr = draw(n_train, 1)
X_dev, y_dev = draw(1000, 2)


class Logger(Callback):
    def on_epoch_end(self, net, **kwargs):
        net.history.record("bayes_mse", BAYES_MSE)


regressor = NeuralNetRegressor(
    nn.Sequential(nn.Linear(P, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 1)),
    optimizer=torch.optim.Adam,
    lr=1e-3,
    batch_size=32,
    max_epochs=150 if n_train < 1000 else 12,   # small set: many passes until train loss stops moving
    train_split=predefined_split(Dataset(X_dev, y_dev)),
    callbacks=[Logger()],
    verbose=0,
)
regressor.fit(X_tr, y_tr)

out_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(out_dir, exist_ok=True)
regressor.save_params(f_history=os.path.join(out_dir, "history.json"))

mse = lambda a, b: float(np.mean((a - b) ** 2))
train_mse = mse(regressor.predict(X_tr), y_tr)
dev_mse = mse(regressor.predict(X_dev), y_dev)
print(f"n_train={n_train} Bayes MSE={BAYES_MSE:.3f} train MSE={train_mse:.4f} dev MSE={dev_mse:.4f} var(y)={y_dev.var():.2f}")
print(f"avoidable bias={train_mse - BAYES_MSE:+.3f}, variance={dev_mse - train_mse:+.3f}")
print("CORPUS_METRIC " + json.dumps({"train_mse": round(train_mse, 4), "val_mse": round(dev_mse, 4),
                                     "bayes_mse": BAYES_MSE, "target_var": round(float(y_dev.var()), 3),
                                     "train_err": round(train_mse, 4), "dev_err": round(dev_mse, 4),
                                     "bayes_err": BAYES_MSE, "n_train": n_train}))
