# expect: non_finite
# allow: exploding_gradients, non_convergence
# forbid: *
# evidence: planted loss turns NaN in epoch 3 (after 0.395, 0.209), all predictions NaN, test acc 0.503 (= majority class 0.503); control (clipped p) keeps finite loss, test acc 0.922, val_loss 0.20
# control: --control
# native-log: history.csv
# log-expect: non_finite
# log-allow: non_convergence
"""Keras 3 (torch backend) binary classifier with a hand-written cross-entropy.

The author wrote BCE by hand on top of a sigmoid output instead of using the built-in loss:
    -(y * log(p) + (1 - y) * log(1 - p))
Once the net is confident, p rounds to exactly 1.0 (or 0.0) in float32 and 0 * log(0) = NaN;
the NaN gradient poisons every weight. --control clips p to [1e-7, 1 - 1e-7] (what the built-in
loss does) and changes nothing else.
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
from keras import layers, ops

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true")
cli = parser.parse_args()

keras.utils.set_random_seed(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="keras_bce_")
os.makedirs(LOG_DIR, exist_ok=True)

rng = np.random.default_rng(1)
D = 16
w_true = rng.normal(size=D)


def sample(n):
    x = rng.normal(size=(n, D)).astype("float32")
    margin = x @ w_true + 0.8 * np.sin(3 * x[:, 0]) * x[:, 1]
    y = (margin + rng.normal(0, 0.3, size=n) > 0).astype("float32")
    return x, y[:, None]


x_train, y_train = sample(2000)
x_val, y_val = sample(500)
x_test, y_test = sample(1000)


def handwritten_bce(y_true, y_pred):
    if cli.control:
        y_pred = ops.clip(y_pred, 1e-7, 1.0 - 1e-7)
    return -ops.mean(y_true * ops.log(y_pred) + (1.0 - y_true) * ops.log(1.0 - y_pred))


model = keras.Sequential([
    keras.Input((D,)),
    layers.Dense(64, activation="relu"),
    layers.Dense(64, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer=keras.optimizers.Adam(3e-3), loss=handwritten_bce, metrics=["accuracy"])
hist = model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=8, batch_size=50,
                 callbacks=[keras.callbacks.CSVLogger(os.path.join(LOG_DIR, "history.csv"))],
                 verbose=2)

p_test = np.asarray(model.predict(x_test, verbose=0))
test_acc = float(((p_test > 0.5) == (y_test > 0.5)).mean())  # NaN > 0.5 is False
finite = bool(np.isfinite(p_test).all())


def num(v):  # strict JSON has no NaN: report non-finite values as null
    v = float(v)
    return round(v, 4) if np.isfinite(v) else None


metric = {"val_acc": round(test_acc, 4), "predictions_finite": finite,
          "train_loss": num(hist.history["loss"][-1]), "val_loss": num(hist.history["val_loss"][-1]),
          "chance_acc": round(float(max(y_test.mean(), 1 - y_test.mean())), 4)}
print("CORPUS_METRIC " + json.dumps(metric))
