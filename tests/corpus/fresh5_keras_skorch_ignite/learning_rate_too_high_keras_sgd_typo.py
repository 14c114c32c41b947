"""Keras 3 (torch backend): tabular binary classifier trained with SGD + momentum.

Planted: the learning rate was meant to be 5e-2 but was typed as 5.0 (the `e-2` got lost).
--control restores 5e-2.
"""
# expect: learning_rate_too_high
# allow: exploding_gradients, non_finite, non_convergence, dead_units
# forbid: *
# evidence: control (lr=5e-2) reaches val_acc 0.88, val_loss 0.28, train_loss 0.19; planted (lr=5.0) train loss bounces between 0.71 and 0.89 for all 15 epochs (never below the 0.69 of a constant guess) and val_acc stays 0.50 (chance 0.505)
# control: --control
# native-log: training.csv
# log-expect: learning_rate_too_high
# log-allow: exploding_gradients, non_finite, non_convergence
import os
import sys
import json
import tempfile

os.environ["KERAS_BACKEND"] = "torch"
import numpy as np
import torch

torch.set_num_threads(1)
import keras

CONTROL = "--control" in sys.argv
LR = 5e-2 if CONTROL else 5.0  # BUG: should be 5e-2
keras.utils.set_random_seed(0)
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(logdir, exist_ok=True)

rng = np.random.default_rng(42)
n = 3000
X = rng.normal(size=(n, 12)).astype("float32")
score = X[:, 0] * X[:, 1] + np.sin(2 * X[:, 2]) + 0.8 * X[:, 3] - 0.5 * X[:, 4] ** 2 + 0.5
y = (score + 0.3 * rng.normal(size=n) > 0).astype("float32")
Xtr, ytr, Xva, yva = X[:2400], y[:2400], X[2400:], y[2400:]

model = keras.Sequential([
    keras.Input((12,)),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=LR, momentum=0.9),
              loss="binary_crossentropy", metrics=["accuracy"])
hist = model.fit(Xtr, ytr, validation_data=(Xva, yva), epochs=15, batch_size=64, verbose=0,
                 callbacks=[keras.callbacks.CSVLogger(os.path.join(logdir, "training.csv"))])
for i, (a, b) in enumerate(zip(hist.history["loss"], hist.history["val_accuracy"])):
    print(f"epoch {i + 1} loss {a:.4f} val_acc {b:.4f}")
vl, va = model.evaluate(Xva, yva, verbose=0, batch_size=600)
print("CORPUS_METRIC " + json.dumps({"val_loss": float(vl), "val_acc": float(va),
                                     "train_loss": float(hist.history["loss"][-1]),
                                     "chance_acc": float(max(yva.mean(), 1 - yva.mean()))}))
