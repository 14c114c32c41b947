"""Keras 3 (torch backend): house-price-like regression from raw tabular columns.

Columns come in their natural units: floor area in sq ft (~500-4000), lot size in sq ft
(~1e3-2e4), year built (~1900-2020), distance to centre in km, rooms, a 0/1 flag.
Planted: the keras.layers.Normalization layer the author meant to put first was never added;
the raw columns go straight into the Dense stack. --control adapts a Normalization layer on the
training features and puts it in front of the same model.
"""
# expect: unnormalized_inputs
# allow: non_convergence, learning_rate_too_high, high_bias, exploding_gradients
# forbid: *
# evidence: control (Normalization layer) val_mse 0.021 vs target variance 1.01 (R^2 0.98); planted (raw columns) first-epoch mse 1.3e5, final val_mse 11.4 (10x worse than predicting the mean)
# control: --control
# native-log: log.csv
# log-expect:
# log-allow: non_convergence, high_bias, learning_rate_too_high, exploding_gradients
import os
import sys
import json
import tempfile

os.environ["KERAS_BACKEND"] = "torch"
import numpy as np
import torch

torch.set_num_threads(1)
import keras
from keras import layers

CONTROL = "--control" in sys.argv
keras.utils.set_random_seed(21)
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(logdir, exist_ok=True)

r = np.random.default_rng(77)
n = 3000
area = r.uniform(500, 4000, n)
lot = r.lognormal(8.5, 0.6, n)
year = r.integers(1900, 2021, n).astype(float)
dist = r.gamma(2.0, 4.0, n)
rooms = np.clip(np.round(area / 450 + r.normal(0, 1, n)), 1, 10)
pool = (r.random(n) < 0.2).astype(float)
X = np.stack([area, lot, year, dist, rooms, pool], 1).astype("float32")
# target = log-price, a nonlinear function of the columns
y = (0.9 * np.log(area) + 0.15 * np.log(lot) + 0.6 * np.tanh((year - 1980) / 25)
     - 0.5 * np.log1p(dist) + 0.05 * rooms + 0.2 * pool + r.normal(0, 0.1, n))
y = ((y - y.mean()) / y.std()).astype("float32")
Xtr, ytr, Xva, yva = X[:2400], y[:2400], X[2400:], y[2400:]

inputs = keras.Input((6,))
x = inputs
if CONTROL:
    norm = layers.Normalization()
    norm.adapt(Xtr)
    x = norm(x)
x = layers.Dense(64, activation="relu")(x)
x = layers.Dense(64, activation="relu")(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
h = model.fit(Xtr, ytr, validation_data=(Xva, yva), batch_size=64, epochs=20, verbose=0,
              callbacks=[keras.callbacks.CSVLogger(os.path.join(logdir, "log.csv"))])
for e in range(0, 20, 4):
    print(f"epoch {e + 1}: mse {h.history['loss'][e]:.4f} val_mse {h.history['val_loss'][e]:.4f}")
val_mse = float(model.evaluate(Xva, yva, verbose=0, batch_size=600))
print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 4), "val_loss": round(val_mse, 4),
                                     "train_loss": round(float(h.history["loss"][-1]), 4),
                                     "target_var": round(float(yva.var()), 4)}))
