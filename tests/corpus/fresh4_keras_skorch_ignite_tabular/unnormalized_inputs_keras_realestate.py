# expect: unnormalized_inputs
# allow: high_bias, non_convergence, learning_rate_too_high, exploding_gradients, saturated_activations, dead_units
# forbid: *
# evidence: planted (raw-unit columns: sqft ~2000, lot ~7000, year ~1970) starts at train mse 1.5e5 and ends at val_mse 13.0 vs target variance 0.123; control (--control, z-scored columns) val_mse 0.0174
# control: --control
# native-log: training_log.csv
# log-expect:
# log-allow: non_convergence, high_bias, unnormalized_inputs, learning_rate_too_high
import os
os.environ.setdefault("KERAS_BACKEND", "torch")
import argparse
import json
import tempfile

import numpy as np
import torch
import keras

torch.set_num_threads(1)

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true", help="standardise the feature columns")
parser.add_argument("--epochs", type=int, default=20)
args = parser.parse_args()

keras.utils.set_random_seed(123)
rng = np.random.default_rng(123)
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

COLUMNS = ["sqft_living", "bedrooms", "bathrooms", "year_built", "lot_size", "dist_downtown_km", "garage"]
N = 3000
raw = np.column_stack([
    rng.gamma(9.0, 220.0, N),
    rng.integers(1, 6, N),
    rng.integers(1, 4, N) + rng.choice([0, 0.5], N),
    rng.integers(1920, 2020, N),
    rng.lognormal(8.8, 0.5, N),
    rng.uniform(0.5, 35.0, N),
    rng.integers(0, 3, N),
]).astype("float32")
age = 2024 - raw[:, 3]
target = (11.2 + 0.00042 * raw[:, 0] + 0.04 * raw[:, 2] - 0.22 * np.log1p(raw[:, 5]) + 0.05 * raw[:, 6]
          + 0.08 * np.log(raw[:, 4] / 6000) - 0.002 * age + 0.000018 * (age - 50) ** 2
          + rng.normal(0, 0.12, N)).astype("float32")

perm = rng.permutation(N)
tr, va = perm[:2400], perm[2400:]
X_train, X_val = raw[tr], raw[va]
y_train, y_val = target[tr], target[va]

if args.control:
    mu, sd = X_train.mean(0), X_train.std(0)
    X_train = (X_train - mu) / sd
    X_val = (X_val - mu) / sd

inp = keras.Input(shape=(len(COLUMNS),), name="listing")
h = keras.layers.Dense(64, activation="relu")(inp)
h = keras.layers.Dense(64, activation="relu")(h)
out = keras.layers.Dense(1, name="log_price")(h)
model = keras.Model(inp, out)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="mse")

# centre the target so the output layer does not have to learn the offset
offset = float(y_train.mean())
history = model.fit(X_train, y_train - offset, validation_data=(X_val, y_val - offset),
                    epochs=args.epochs, batch_size=64, verbose=0,
                    callbacks=[keras.callbacks.CSVLogger(os.path.join(logdir, "training_log.csv"))])

val_mse = float(model.evaluate(X_val, y_val - offset, verbose=0))
train_mse = history.history["loss"][-1]
print("final train/val mse:", round(train_mse, 4), round(val_mse, 4))
print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 4), "train_mse": round(train_mse, 4),
                                      "target_var": round(float(y_val.var()), 4)}))
