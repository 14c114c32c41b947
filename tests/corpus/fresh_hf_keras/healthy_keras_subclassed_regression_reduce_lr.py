# expect:
# allow:
# forbid: *
# evidence: test_mse 0.044 vs target variance 1.10 (R^2 0.96, noise floor 0.0225); val_mse 0.44 -> 0.052, best at the end; lr halved 3 times by ReduceLROnPlateau
# native-log: energy_log.csv
# log-expect:
# log-allow:
"""Subclassed keras.Model (torch backend) with a residual block, predicting a building's
energy use from 6 standardised readings. Adam with ReduceLROnPlateau(factor=0.5, patience=2)
on val_loss, explicit validation_data, CSVLogger (its learning_rate column shows the drops)."""
import os

os.environ["KERAS_BACKEND"] = "torch"

import json  # noqa: E402
import tempfile  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(1)
import keras  # noqa: E402
from keras import layers  # noqa: E402

keras.utils.set_random_seed(23)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="keras_energy_")
os.makedirs(LOG_DIR, exist_ok=True)

rng = np.random.default_rng(23)
NOISE = 0.15


def readings(n):
    x = rng.normal(size=(n, 6)).astype("float32")
    y = (np.sin(1.5 * x[:, 0]) + 0.5 * x[:, 1] * x[:, 2] + 0.3 * x[:, 3] ** 2
         - 0.4 * x[:, 4] + NOISE * rng.normal(size=n))
    return x, y.astype("float32")[:, None]


x_tr, y_tr = readings(2400)
x_val, y_val = readings(400)
x_te, y_te = readings(600)


class EnergyNet(keras.Model):
    def __init__(self, width=48, **kw):
        super().__init__(**kw)
        self.inp = layers.Dense(width, activation="relu")
        self.block_a = layers.Dense(width, activation="relu")
        self.block_b = layers.Dense(width)
        self.act = layers.Activation("relu")
        self.head = layers.Dense(1)

    def call(self, x):
        h = self.inp(x)
        h = self.act(h + self.block_b(self.block_a(h)))
        return self.head(h)


model = EnergyNet()
model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="mse", metrics=["mae"])
hist = model.fit(
    x_tr, y_tr, validation_data=(x_val, y_val), epochs=24, batch_size=64, verbose=2,
    callbacks=[keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=2,
                                                 min_lr=1e-5),
               keras.callbacks.CSVLogger(os.path.join(LOG_DIR, "energy_log.csv"))],
)
test_mse, test_mae = model.evaluate(x_te, y_te, verbose=0)
print("CORPUS_METRIC " + json.dumps({
    "test_mse": round(float(test_mse), 4), "val_mse": round(float(hist.history["val_loss"][-1]), 4),
    "train_mse": round(float(hist.history["loss"][-1]), 4),
    "target_var": round(float(y_te.var()), 4), "noise_var": NOISE ** 2,
    "final_lr": float(hist.history["learning_rate"][-1])}))
