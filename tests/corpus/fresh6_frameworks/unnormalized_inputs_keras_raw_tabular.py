# expect: unnormalized_inputs
# allow: non_convergence, high_bias, learning_rate_too_high, saturated_activations, dead_units, exploding_gradients
# forbid: *
# evidence: planted (raw columns, stds 0.05 .. 2.2e4): loss frozen at 9.48, acc 0.41 every epoch (majority 0.59); control (Normalization layer): val_acc 0.941, val_loss 0.143
# control: --control
# native-log: history.csv
# log-expect: non_convergence
# log-allow: high_bias, learning_rate_too_high
"""Keras 3 (torch backend) Functional model on a raw "loan default" table: annual income (~5e4),
loan amount (~1.5e4), age (~40), interest rate (~0.1), number of accounts (~5), credit score (~650).
The raw columns are fed straight into Dense layers. The label depends on ratios/combinations of
all of them. --control: a keras.layers.Normalization layer adapted on the training data is put in
front (nothing else changes)."""
import os
import sys
import json
import tempfile
import warnings

os.environ["KERAS_BACKEND"] = "torch"
warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

torch.set_num_threads(1)
keras.utils.set_random_seed(2)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="kraw_")
CONTROL = "--control" in sys.argv
rng = np.random.default_rng(2)


def table(n):
    income = rng.lognormal(np.log(50000), 0.4, n)
    loan = rng.lognormal(np.log(15000), 0.5, n)
    age = rng.uniform(21, 70, n)
    rate = rng.uniform(0.03, 0.2, n)
    accounts = rng.poisson(5, n).astype(float)
    score = rng.normal(650, 60, n)
    risk = (3.0 * loan / income + 12 * (rate - 0.1) - (score - 650) / 40
            + 0.15 * (accounts - 5) - 0.02 * (age - 45) + 0.3 * rng.normal(size=n))
    x = np.stack([income, loan, age, rate, accounts, score], 1).astype("float32")
    return x, (risk > 0.9).astype("float32")


x_tr, y_tr = table(3000)
x_va, y_va = table(800)

inp = keras.Input(shape=(6,))
h = inp
if CONTROL:
    norm = layers.Normalization()
    norm.adapt(x_tr)
    h = norm(h)
h = layers.Dense(64, activation="relu")(h)
h = layers.Dense(64, activation="relu")(h)
out = layers.Dense(1, activation="sigmoid")(h)
model = keras.Model(inp, out)
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x_tr, y_tr, validation_data=(x_va, y_va), epochs=12, batch_size=64, verbose=0,
          callbacks=[keras.callbacks.CSVLogger(os.path.join(LOG_DIR, "history.csv"))])
val_loss, val_acc = model.evaluate(x_va, y_va, verbose=0)
train_loss, train_acc = model.evaluate(x_tr, y_tr, verbose=0)
print(f"raw feature means {np.round(x_tr.mean(0), 2).tolist()}, stds {np.round(x_tr.std(0), 2).tolist()}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "train_loss": round(train_loss, 4), "train_acc": round(train_acc, 4),
                                     "majority_rate": round(float(max(y_va.mean(), 1 - y_va.mean())), 4)}))
