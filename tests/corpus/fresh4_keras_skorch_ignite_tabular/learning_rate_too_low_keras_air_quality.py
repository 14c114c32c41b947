# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (Adam lr=1e-5, 15 epochs) train loss creeps 2.15 -> 1.75, val_mse 1.74 vs target variance 1.84; control (--control, lr=1e-3) val_mse 0.055
# control: --control
# native-log: air_quality_history.json
# log-expect:
# log-allow: learning_rate_too_low, non_convergence, high_bias
"""Calibrate a low-cost CO sensor against the reference analyser (functional Keras model).

Inputs: metal-oxide sensor channels + temperature / humidity, already standardised.
"""
import os
os.environ.setdefault("KERAS_BACKEND", "torch")
import argparse
import json
import tempfile

import numpy as np
import torch
import keras
from keras import layers

torch.set_num_threads(1)

cli = argparse.ArgumentParser()
cli.add_argument("--control", action="store_true")
cli.add_argument("--lr", type=float, default=None)
a = cli.parse_args()
# planted: learning rate carried over from the fine-tuning config of another project
LR = a.lr if a.lr is not None else (1e-3 if a.control else 1e-5)

keras.utils.set_random_seed(4)
rng = np.random.default_rng(4)

CHANNELS = ["mox_co", "mox_nmhc", "mox_nox", "mox_no2", "mox_o3", "temp_c", "rel_hum", "abs_hum"]
n = 3000
raw = rng.normal(size=(n, 8))
raw[:, 1] = 0.7 * raw[:, 0] + 0.7 * raw[:, 1]
co_ref = (1.4 * np.tanh(raw[:, 0]) + 0.5 * raw[:, 1] - 0.3 * raw[:, 2] + 0.25 * raw[:, 5] * raw[:, 0]
          - 0.2 * raw[:, 6] + 0.1 * raw[:, 4] ** 2 + rng.normal(0, 0.2, n))
X = raw.astype("float32")
y = co_ref.astype("float32")
Xtr, ytr, Xva, yva = X[:2400], y[:2400], X[2400:], y[2400:]

sensors = keras.Input(shape=(5,), name="mox")
climate = keras.Input(shape=(3,), name="climate")
h = layers.Concatenate()([layers.Dense(32, activation="relu")(sensors), layers.Dense(16, activation="relu")(climate)])
h = layers.Dense(64, activation="relu")(h)
h = layers.Dense(32, activation="relu")(h)
co = layers.Dense(1, name="co_mg_m3")(h)
model = keras.Model([sensors, climate], co)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=LR), loss="mse", metrics=["mae"])

hist = model.fit({"mox": Xtr[:, :5], "climate": Xtr[:, 5:]}, ytr,
                 validation_data=({"mox": Xva[:, :5], "climate": Xva[:, 5:]}, yva),
                 epochs=15, batch_size=64, verbose=0)
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
with open(os.path.join(logdir, "air_quality_history.json"), "w") as fh:
    json.dump({"lr": LR, **{k: [float(x) for x in v] for k, v in hist.history.items()}}, fh)

val_mse = hist.history["val_loss"][-1]
print(f"lr={LR:g}: loss {hist.history['loss'][0]:.3f} -> {hist.history['loss'][-1]:.3f}, val_mse {val_mse:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 4), "train_loss": round(hist.history["loss"][-1], 4),
                                      "target_var": round(float(yva.var()), 4), "lr": LR}))
