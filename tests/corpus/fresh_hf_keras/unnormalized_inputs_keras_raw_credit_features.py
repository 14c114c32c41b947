# expect: unnormalized_inputs
# allow: high_bias, non_convergence, dead_units, saturated_activations, exploding_gradients
# forbid: *
# evidence: planted (raw dollars/years): loss frozen at 7.78 from epoch 0, test_acc 0.536 = majority rate, first-layer |activation| ~5.7e3, 31%/47% of ReLUs in the two layers never fire, 100% of sigmoid outputs saturated; control (Normalization layer): test_acc 0.798, test_loss 0.457
# control: --control
# native-log: credit_log.csv
# log-expect:
# log-allow: non_convergence, high_bias
"""Loan default prediction with a Keras 3 Sequential MLP (torch backend) fed the raw applicant
columns: yearly income in dollars (~1e4..1e5), loan amount (~1e3..1e4), age in years, number of
open accounts, credit utilisation in [0, 1], months at current job. Nobody standardised them.
--control puts an adapted keras.layers.Normalization in front (nothing else changes)."""
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
parser.add_argument("--control", action="store_true", help="standardise the inputs")
cli = parser.parse_args()

keras.utils.set_random_seed(41)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="keras_credit_")
os.makedirs(LOG_DIR, exist_ok=True)

rng = np.random.default_rng(41)


def applicants(n):
    income = rng.lognormal(np.log(55_000), 0.45, n)
    loan = rng.lognormal(np.log(12_000), 0.6, n)
    age = rng.uniform(21, 70, n)
    accounts = rng.poisson(4, n).astype(float)
    util = rng.beta(2, 3, n)
    tenure = rng.exponential(40, n)
    debt_ratio = loan / income
    score = (4.0 * (debt_ratio - 0.25) + 3.0 * (util - 0.4) - 0.03 * (age - 45)
             - 0.01 * (tenure - 40) + 0.15 * (accounts - 4))
    y = (rng.random(n) < 1 / (1 + np.exp(-2.0 * score))).astype("float32")
    x = np.stack([income, loan, age, accounts, util, tenure], 1).astype("float32")
    return x, y


x_tr, y_tr = applicants(2000)
x_te, y_te = applicants(1000)

inputs = keras.Input(shape=(6,))
h = inputs
if cli.control:
    norm = layers.Normalization()
    norm.adapt(x_tr)
    h = norm(h)
h = layers.Dense(32, activation="relu")(h)
h = layers.Dense(32, activation="relu")(h)
out = layers.Dense(1, activation="sigmoid")(h)
model = keras.Model(inputs, out)
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy",
              metrics=["accuracy"])
hist = model.fit(x_tr, y_tr, validation_split=0.2, epochs=15, batch_size=32, verbose=2,
                 callbacks=[keras.callbacks.CSVLogger(os.path.join(LOG_DIR, "credit_log.csv"))])
test_loss, test_acc = model.evaluate(x_te, y_te, verbose=0)
print("CORPUS_METRIC " + json.dumps({
    "test_loss": round(float(test_loss), 4), "test_acc": round(float(test_acc), 4),
    "val_loss": round(float(hist.history["val_loss"][-1]), 4),
    "train_loss": round(float(hist.history["loss"][-1]), 4),
    "chance_acc": round(float(max(y_te.mean(), 1 - y_te.mean())), 4)}))
