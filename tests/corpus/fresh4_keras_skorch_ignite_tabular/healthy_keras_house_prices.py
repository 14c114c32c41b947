# expect:
# allow:
# forbid: *
# evidence: Sequential MLP on standardised house features predicts log-price with val_mse 0.0176 (target variance 0.117, noise floor 0.0144, R^2 0.85); early-stopped after 17 epochs
# native-log: house_prices_log.csv
# log-expect:
# log-allow:
"""House price regression with named columns, Keras 3 on the torch backend."""
import os
os.environ.setdefault("KERAS_BACKEND", "torch")
import json
import tempfile

import numpy as np
import torch
import keras
from keras import layers

torch.set_num_threads(1)
keras.utils.set_random_seed(7)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()


def make_listings(n, rng):
    df = {
        "sqft_living": rng.gamma(9.0, 220.0, n),
        "bedrooms": rng.integers(1, 6, n).astype(float),
        "bathrooms": rng.integers(1, 4, n) + rng.choice([0, 0.5], n),
        "year_built": rng.integers(1920, 2020, n).astype(float),
        "lot_size": rng.lognormal(8.8, 0.5, n),
        "dist_downtown_km": rng.uniform(0.5, 35.0, n),
        "garage": rng.integers(0, 3, n).astype(float),
    }
    age = 2024 - df["year_built"]
    log_price = (11.2 + 0.00042 * df["sqft_living"] + 0.04 * df["bathrooms"]
                 - 0.22 * np.log1p(df["dist_downtown_km"]) + 0.05 * df["garage"]
                 + 0.08 * np.log(df["lot_size"] / 6000) - 0.002 * age + 0.000018 * (age - 50) ** 2
                 + rng.normal(0, 0.12, n))
    df["log_price"] = log_price
    return df


rng = np.random.default_rng(7)
df = make_listings(3000, rng)
features = [c for c in df if c != "log_price"]
X = np.stack([df[c] for c in features], axis=1).astype("float32")
y = df["log_price"].astype("float32")
idx = rng.permutation(len(y))
tr, va = idx[:2400], idx[2400:]
x_tr, y_tr, x_va, y_va = X[tr], y[tr], X[va], y[va]

norm = layers.Normalization()
norm.adapt(x_tr)
y_mean = float(y_tr.mean())

model = keras.Sequential([
    keras.Input(shape=(len(features),)),
    norm,
    layers.Dense(64, activation="relu"),
    layers.Dense(64, activation="relu"),
    layers.Dense(1, bias_initializer=keras.initializers.Constant(y_mean)),
])
model.compile(optimizer=keras.optimizers.Adam(2e-3), loss="mse", metrics=["mae"])

callbacks = [
    keras.callbacks.CSVLogger(os.path.join(LOG_DIR, "house_prices_log.csv")),
    keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=4, min_lr=1e-5),
    keras.callbacks.EarlyStopping(monitor="val_loss", patience=8, restore_best_weights=True),
]
hist = model.fit(x_tr, y_tr, validation_data=(x_va, y_va), epochs=40, batch_size=64,
                 callbacks=callbacks, verbose=0)

val_mse = float(model.evaluate(x_va, y_va, verbose=0)[0])
train_mse = float(model.evaluate(x_tr, y_tr, verbose=0)[0])
print(f"epochs run: {len(hist.history['loss'])}  train_mse {train_mse:.4f}  val_mse {val_mse:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 4), "train_mse": round(train_mse, 4),
                                      "target_var": round(float(y_va.var()), 4)}))
