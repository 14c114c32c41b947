"""Keras 3 (torch backend): 1-D conv sequence classifier with label smoothing.

Sequences of length 24 with 2 channels; the class (one of 3) is which of three motifs
(rising ramp, falling ramp, bump) is hidden somewhere in the noisy sequence. One-hot labels,
CategoricalCrossentropy(label_smoothing=0.1), RMSprop, validation_split, EarlyStopping.
"""
# expect:
# allow:
# forbid: *
# evidence: held-out val_acc 0.935 (chance 0.33), train_acc 0.955; val_loss 0.44 / train_loss 0.42 sit above the label-smoothing floor (0.29 for eps=0.1, 3 classes), not a sign of poor fit
# native-log: conv1d_log.csv
# log-expect:
# log-allow:
import os
import sys
import json
import tempfile

os.environ["KERAS_BACKEND"] = "torch"
import numpy as np
import torch

torch.set_num_threads(1)
import keras

keras.utils.set_random_seed(99)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
T = 24
MOTIFS = [np.linspace(-1, 1, 6), np.linspace(1, -1, 6), np.array([0, 0.7, 1.2, 1.2, 0.7, 0])]


def sequences(n, rng):
    x = rng.normal(0, 0.45, size=(n, T, 2)).astype("float32")
    y = rng.integers(0, 3, n)
    for i in range(n):
        s = rng.integers(0, T - 6)
        x[i, s:s + 6, 0] += MOTIFS[y[i]]
        x[i, s:s + 6, 1] += 0.5
    return x, y


rng = np.random.default_rng(1)
x_train, y_train = sequences(2000, rng)
x_test, y_test = sequences(600, rng)
Y_train = keras.utils.to_categorical(y_train, 3)
Y_test = keras.utils.to_categorical(y_test, 3)

model = keras.Sequential([
    keras.Input((T, 2)),
    keras.layers.Conv1D(32, 5, padding="same", activation="relu"),
    keras.layers.Conv1D(32, 3, padding="same", activation="relu"),
    keras.layers.GlobalMaxPooling1D(),
    keras.layers.Dropout(0.2),
    keras.layers.Dense(3, activation="softmax"),
])
model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=3e-3),
              loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1),
              metrics=["accuracy"])
model.fit(x_train, Y_train, validation_split=0.15, batch_size=64, epochs=20, verbose=2,
          callbacks=[keras.callbacks.CSVLogger(os.path.join(log_dir, "conv1d_log.csv")),
                     keras.callbacks.EarlyStopping(patience=4, restore_best_weights=True)])
vl, va = model.evaluate(x_test, Y_test, verbose=0, batch_size=600)
tl, ta = model.evaluate(x_train, Y_train, verbose=0, batch_size=1000)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                     "train_loss": round(tl, 4), "train_acc": round(ta, 4),
                                     "chance_acc": 0.3333}))
