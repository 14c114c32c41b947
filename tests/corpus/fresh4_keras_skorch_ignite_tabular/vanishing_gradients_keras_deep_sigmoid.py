# expect: vanishing_gradients
# allow: saturated_activations, non_convergence, high_bias, learning_rate_too_low
# forbid: *
# evidence: planted (8 hidden Dense layers all activation="sigmoid", SGD) val_acc 0.346 = majority rate 0.346, first/last hidden-layer grad-norm ratio 1.7e-5; control (--control, relu hidden layers) val_acc 0.85, ratio 2.8
# control: --control
# native-log: history.json
# log-expect:
# log-allow: non_convergence, high_bias, vanishing_gradients
"""Sensor-fault classifier (3 classes) from 12 summary statistics of a vibration sensor.

Deep MLP built in a loop, Keras 3 with torch backend.
"""
import os
os.environ.setdefault("KERAS_BACKEND", "torch")
import json
import sys
import tempfile

import numpy as np
import torch
import keras

torch.set_num_threads(1)
keras.utils.set_random_seed(5)

HIDDEN_ACT = "relu" if "--control" in sys.argv else "sigmoid"
DEPTH = 8
WIDTH = 48
OUT = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()


def sensor_table(n, rng):
    # 12 standardised statistics (rms, kurtosis, crest factor, band energies ...) per window
    label = rng.integers(0, 3, n)
    z = rng.normal(size=(n, 12))
    # fault signatures live in non-linear combinations of a few statistics
    r = np.sqrt(z[:, 0] ** 2 + z[:, 1] ** 2)
    label = np.where(r < 0.9, 0, np.where(z[:, 2] * z[:, 3] > 0, 1, 2))
    z += rng.normal(0, 0.1, z.shape)
    return z.astype("float32"), label.astype("int64")


rng = np.random.default_rng(5)
x, y = sensor_table(2500, rng)
x_train, y_train, x_val, y_val = x[:2000], y[:2000], x[2000:], y[2000:]

model = keras.Sequential([keras.Input(shape=(12,))])
for _ in range(DEPTH):
    model.add(keras.layers.Dense(WIDTH, activation=HIDDEN_ACT))
model.add(keras.layers.Dense(3, activation="softmax"))
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.02, momentum=0.9),
              loss="sparse_categorical_crossentropy", metrics=["accuracy"])

hist = model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=20, batch_size=64, verbose=0)
with open(os.path.join(OUT, "history.json"), "w") as fh:
    json.dump(hist.history, fh)

# gradient probe: first vs last hidden layer on one batch
xb = torch.tensor(x_train[:256])
yb = torch.tensor(y_train[:256])
for v in model.trainable_variables:
    v.value.grad = None
loss = torch.nn.functional.nll_loss(torch.log(model(xb) + 1e-9), yb)
loss.backward()
g_first = model.layers[0].kernel.value.grad.norm().item()
g_last = model.layers[DEPTH - 1].kernel.value.grad.norm().item()
print(f"grad norm first hidden {g_first:.3e}  last hidden {g_last:.3e}")

val_loss, val_acc = model.evaluate(x_val, y_val, verbose=0)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                      "train_loss": round(hist.history["loss"][-1], 4),
                                      "chance_acc": round(float(np.bincount(y_val).max() / len(y_val)), 4),
                                      "grad_first_over_last": g_first / max(g_last, 1e-30)}))
