# expect: unnormalized_inputs
# allow: high_bias, non_convergence, dead_units, saturated_activations, exploding_gradients, learning_rate_too_high
# forbid: *
# evidence: control (Normalization layer) reaches test mse 0.027 (R2 0.97, noise floor 0.019, target var 1.0); planted (raw units, income ~6e4) ends at test mse 412 (R2 -412), val_mae still jumping between 5 and 16 at epoch 25
# control: --control
# native-log: history.csv
# log-expect:
# log-allow: high_bias, non_convergence, learning_rate_too_high, learning_rate_too_low
"""Keras 3 (torch backend) regressor on a synthetic "housing" table fed in raw units.

Columns: living area (sq ft, ~500-4000), lot size (sq ft, ~2k-40k), year built (1900-2020),
rooms (1-8), distance to centre (km, 0.5-40), median income ($, 15k-250k). The (standardised)
price depends non-linearly on all of them. The planted run feeds the raw columns straight into
the MLP; --control puts a `keras.layers.Normalization` (adapted on the training split) in front.
"""
import os

os.environ["KERAS_BACKEND"] = "torch"

import argparse
import json
import tempfile

import numpy as np
import torch

torch.set_num_threads(1)

import keras
from keras import layers

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true")
cli = parser.parse_args()

keras.utils.set_random_seed(2)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="keras_housing_")
os.makedirs(LOG_DIR, exist_ok=True)
rng = np.random.default_rng(2)


def sample(n):
    area = rng.uniform(500, 4000, n)
    lot = rng.lognormal(np.log(8000), 0.6, n)
    year = rng.integers(1900, 2021, n).astype(float)
    rooms = np.clip(np.round(area / 550 + rng.normal(0, 1, n)), 1, 8)
    dist = rng.uniform(0.5, 40, n)
    income = rng.lognormal(np.log(60000), 0.5, n)
    price = (0.9 * (area - 2250) / 1000 + 0.3 * np.log(lot / 8000) + 0.5 * np.tanh((year - 1990) / 20)
             - 0.8 * np.log1p(dist) + 0.7 * np.log(income / 60000) + 0.15 * (rooms - 4)
             + 0.4 * ((area - 2250) / 1000) * np.log(income / 60000))
    price = price + rng.normal(0, 0.2, n)
    x = np.stack([area, lot, year, rooms, dist, income], 1).astype("float32")
    return x, price.astype("float32")


x_train, y_train = sample(2000)
x_val, y_val = sample(500)
x_test, y_test = sample(1000)
y_mu, y_sd = y_train.mean(), y_train.std()
y_train, y_val, y_test = [(y - y_mu) / y_sd for y in (y_train, y_val, y_test)]

inputs = keras.Input((6,))
h = inputs
if cli.control:
    norm = layers.Normalization()
    norm.adapt(x_train)
    h = norm(h)
h = layers.Dense(64, activation="relu")(h)
h = layers.Dense(64, activation="relu")(h)
out = layers.Dense(1)(h)
model = keras.Model(inputs, out)
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse", metrics=["mae"])
hist = model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=25, batch_size=64,
                 callbacks=[keras.callbacks.CSVLogger(os.path.join(LOG_DIR, "history.csv"))],
                 verbose=2)
test_mse = float(np.mean((np.asarray(model.predict(x_test, verbose=0)).ravel() - y_test) ** 2))
metric = {"val_mse": round(test_mse, 4), "target_var": round(float(y_test.var()), 4),
          "r2": round(1 - test_mse / float(y_test.var()), 4),
          "train_loss": round(float(hist.history["loss"][-1]), 4),
          "noise_floor_mse": round(0.04 / float(y_sd) ** 2, 4)}
print("CORPUS_METRIC " + json.dumps(metric))
