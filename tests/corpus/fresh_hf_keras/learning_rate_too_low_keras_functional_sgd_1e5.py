# expect: learning_rate_too_low
# allow: high_bias, non_convergence
# forbid: *
# evidence: planted (SGD lr=1e-5): train mse 1.108 -> 0.942 in 12 epochs, test_mse 0.881 vs target variance 0.913; control (lr=1e-2): test_mse 0.020
# control: --control
# native-log: house_prices.csv
# log-expect: learning_rate_too_low
# log-allow: high_bias, non_convergence
"""Keras 3 (torch backend) functional regression net for (standardised, synthetic) house prices:
numeric features and a one-hot district go through separate Dense branches, then merge. Plain
SGD with lr=1e-5 (a value meant for fine-tuning a big pretrained net): after 12 epochs the MSE
has barely left the target variance. --control uses lr=1e-2 with everything else the same."""
import os

os.environ["KERAS_BACKEND"] = "torch"

import argparse  # noqa: E402
import json  # noqa: E402
import tempfile  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(1)
import keras  # noqa: E402
from keras import layers  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true", help="lr=1e-2 instead of 1e-5")
cli = parser.parse_args()
LR = 1e-2 if cli.control else 1e-5

keras.utils.set_random_seed(59)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="keras_houses_")
os.makedirs(LOG_DIR, exist_ok=True)

N_NUM, N_DISTRICTS = 7, 10
rng = np.random.default_rng(59)
w = rng.normal(0, 0.5, size=N_NUM)
district_premium = rng.normal(0, 0.7, size=N_DISTRICTS)


def houses(n):
    num = rng.normal(size=(n, N_NUM)).astype("float32")
    d = rng.integers(0, N_DISTRICTS, size=n)
    price = num @ w + district_premium[d] + 0.3 * np.tanh(num[:, 0] * num[:, 1])
    price = price + 0.2 * rng.normal(size=n)
    onehot = np.eye(N_DISTRICTS, dtype="float32")[d]
    return num, onehot, price.astype("float32")[:, None]


num_tr, dist_tr, y_tr = houses(2000)
num_te, dist_te, y_te = houses(800)
mu, sd = y_tr.mean(), y_tr.std()
y_tr, y_te = (y_tr - mu) / sd, (y_te - mu) / sd

num_in = keras.Input(shape=(N_NUM,), name="numeric")
dist_in = keras.Input(shape=(N_DISTRICTS,), name="district")
a = layers.Dense(32, activation="relu")(num_in)
b = layers.Dense(8, activation="relu")(dist_in)
h = layers.Dense(32, activation="relu")(layers.concatenate([a, b]))
out = layers.Dense(1)(h)
model = keras.Model([num_in, dist_in], out)
model.compile(optimizer=keras.optimizers.SGD(learning_rate=LR, momentum=0.9), loss="mse")
hist = model.fit([num_tr, dist_tr], y_tr, validation_split=0.2, epochs=12, batch_size=32,
                 verbose=2,
                 callbacks=[keras.callbacks.CSVLogger(os.path.join(LOG_DIR, "house_prices.csv"))])
test_mse = model.evaluate([num_te, dist_te], y_te, verbose=0)
print("CORPUS_METRIC " + json.dumps({
    "test_mse": round(float(test_mse), 4), "val_mse": round(float(hist.history["val_loss"][-1]), 4),
    "train_mse": round(float(hist.history["loss"][-1]), 4),
    "target_var": round(float(y_te.var()), 4)}))
