# expect:
# allow:
# forbid: *
# evidence: noise-free smooth target; held-out test mse 0.0093 vs target variance 0.55 (R2 0.983); val loss falls monotonically-ish with the cosine schedule, no train/val gap (train-mode mse 0.022 is higher only because of BatchNorm batch statistics)
# native-log: history.csv
# log-expect:
# log-allow:
"""Keras 3 (torch backend) surrogate model for a smooth, noise-free simulator.

The target is a deterministic smooth function of 8 inputs (think: fitting a cheap surrogate of a
physics code), so both train and validation loss should go far towards zero together. Custom
log-cosh loss, BatchNorm, AdamW with linear warm-up into cosine decay (keras CosineDecay with
warmup_target), long-ish training.
"""
import os

os.environ["KERAS_BACKEND"] = "torch"

import json
import tempfile

import numpy as np
import torch

torch.set_num_threads(1)

import keras
from keras import layers, ops

keras.utils.set_random_seed(3)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="keras_logcosh_")
os.makedirs(LOG_DIR, exist_ok=True)
rng = np.random.default_rng(3)
D = 8


def simulator(x):
    return (np.sin(1.5 * x[:, 0]) * np.cos(x[:, 1]) + 0.5 * x[:, 2] * x[:, 3]
            + 0.3 * np.tanh(2 * x[:, 4]) - 0.2 * x[:, 5] ** 2 + 0.1 * x[:, 6] + 0.05 * x[:, 7])


x_train = rng.uniform(-1.5, 1.5, size=(2000, D)).astype("float32")
x_val = rng.uniform(-1.5, 1.5, size=(600, D)).astype("float32")
x_test = rng.uniform(-1.5, 1.5, size=(1000, D)).astype("float32")
y_train, y_val, y_test = [simulator(x).astype("float32")[:, None] for x in (x_train, x_val, x_test)]


def log_cosh(y_true, y_pred):
    e = y_pred - y_true
    # numerically stable log(cosh(e)) = |e| + log1p(exp(-2|e|)) - log 2
    a = ops.abs(e)
    return ops.mean(a + ops.log1p(ops.exp(-2.0 * a)) - np.log(2.0), axis=-1)


EPOCHS, BATCH = 25, 100
steps = EPOCHS * (len(x_train) // BATCH)
schedule = keras.optimizers.schedules.CosineDecay(
    initial_learning_rate=1e-4, decay_steps=steps - 40, alpha=0.01,
    warmup_target=3e-3, warmup_steps=40)

model = keras.Sequential([
    keras.Input((D,)),
    layers.Dense(96, use_bias=False), layers.BatchNormalization(), layers.Activation("gelu"),
    layers.Dense(96, use_bias=False), layers.BatchNormalization(), layers.Activation("gelu"),
    layers.Dense(1),
])
model.compile(optimizer=keras.optimizers.AdamW(schedule, weight_decay=1e-5), loss=log_cosh,
              metrics=["mse"])
hist = model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=EPOCHS, batch_size=BATCH,
                 callbacks=[keras.callbacks.CSVLogger(os.path.join(LOG_DIR, "history.csv"))],
                 verbose=2)
pred = np.asarray(model.predict(x_test, verbose=0))
test_mse = float(np.mean((pred - y_test) ** 2))
metric = {"val_mse": round(test_mse, 5), "target_var": round(float(y_test.var()), 4),
          "r2": round(1 - test_mse / float(y_test.var()), 4),
          "train_mse": round(float(hist.history["mse"][-1]), 5),
          "train_loss": round(float(hist.history["loss"][-1]), 6)}
print("CORPUS_METRIC " + json.dumps(metric))
