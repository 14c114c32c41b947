# expect:
# allow:
# forbid: *
# evidence: val_mse 0.0435 on target variance 1.89 (R^2 0.977, noise variance 0.01), train_mse 0.042; normalised val_loss 0.59 -> 0.022 decreasing throughout
# native-log: training.csv
# log-expect:
# log-allow:
"""Keras 3 functional API (torch backend), MSE regression of a smooth 6-D function with a
little noise. Targets and inputs standardised; Adam 1e-3; 25 epochs; CSVLogger."""
import os
os.environ["KERAS_BACKEND"] = "torch"

import json
import tempfile

import numpy as np
import torch
import keras
from keras import layers


def target(x):
    return np.cos(1.5 * x[:, 0]) + x[:, 1] * x[:, 2] + 0.5 * np.abs(x[:, 3]) - 0.7 * x[:, 4] + 0.2 * x[:, 5]


def main():
    torch.set_num_threads(1)
    logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="kreg_")
    os.makedirs(logdir, exist_ok=True)

    rng = np.random.default_rng(21)
    x = rng.normal(size=(2000, 6)).astype("float32")
    y = (target(x) + 0.1 * rng.normal(size=2000)).astype("float32")
    x_tr, y_tr, x_va, y_va = x[:1600], y[:1600], x[1600:], y[1600:]
    y_mu, y_sd = y_tr.mean(), y_tr.std()
    y_tr_n, y_va_n = (y_tr - y_mu) / y_sd, (y_va - y_mu) / y_sd

    keras.utils.set_random_seed(21)
    inp = keras.Input(shape=(6,))
    h = layers.Dense(64, activation="gelu")(inp)
    h = layers.Dense(64, activation="gelu")(h)
    out = layers.Dense(1)(h)
    model = keras.Model(inp, out, name="regressor")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="mse", metrics=["mae"])
    model.fit(x_tr, y_tr_n, validation_data=(x_va, y_va_n), epochs=25, batch_size=64, verbose=0,
              callbacks=[keras.callbacks.CSVLogger(os.path.join(logdir, "training.csv"))])

    pred = model.predict(x_va, verbose=0)[:, 0] * y_sd + y_mu
    val_mse = float(np.mean((pred - y_va) ** 2))
    pred_tr = model.predict(x_tr, verbose=0)[:, 0] * y_sd + y_mu
    train_mse = float(np.mean((pred_tr - y_tr) ** 2))
    print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 4), "train_mse": round(train_mse, 4),
                                         "target_var": round(float(y_va.var()), 4), "noise_var": 0.01,
                                         "val_r2": round(1 - val_mse / float(y_va.var()), 4)}))


if __name__ == "__main__":
    main()
