"""Keras 3 (torch backend), functional API: a small CNN on synthetic 12x12 grayscale images.

Four classes = orientation of a noisy bar (horizontal, vertical, two diagonals) at a random
position, plus pixel noise. ReduceLROnPlateau on val_loss; the History is dumped as JSON.
"""
# expect:
# allow:
# forbid: *
# evidence: held-out val_acc 0.927 on 4 balanced classes (chance 0.25), val_loss 0.20, train_loss 0.085 at the last epoch
# native-log: history.json
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
from keras import layers

keras.utils.set_random_seed(11)
OUT = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="kcnn_")
os.makedirs(OUT, exist_ok=True)
S = 12


def render(n, rng):
    imgs = rng.normal(0.0, 0.5, size=(n, S, S, 1)).astype("float32")
    labels = rng.integers(0, 4, size=n)
    for i, c in enumerate(labels):
        r, q = rng.integers(2, S - 2, size=2)
        L = rng.integers(2, 5)
        for t in range(-L, L + 1):
            if c == 0:
                y, x = r, q + t
            elif c == 1:
                y, x = r + t, q
            elif c == 2:
                y, x = r + t, q + t
            else:
                y, x = r + t, q - t
            if 0 <= y < S and 0 <= x < S:
                imgs[i, y, x, 0] += 1.0
    return imgs, labels.astype("int64")


rng = np.random.default_rng(3)
x_tr, y_tr = render(1600, rng)
x_va, y_va = render(600, rng)

inp = keras.Input(shape=(S, S, 1), name="image")
h = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
h = layers.MaxPooling2D(2)(h)
h = layers.Conv2D(32, 3, padding="same", activation="relu")(h)
h = layers.GlobalMaxPooling2D()(h)
h = layers.Dense(32, activation="relu")(h)
out = layers.Dense(4, name="logits")(h)
model = keras.Model(inp, out, name="bar_orientation_cnn")

model.compile(
    optimizer=keras.optimizers.Adam(2e-3),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=[keras.metrics.SparseCategoricalAccuracy(name="acc")],
)
history = model.fit(
    x_tr, y_tr,
    validation_data=(x_va, y_va),
    batch_size=64,
    epochs=12,
    callbacks=[keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=2, min_lr=1e-5)],
    verbose=2,
)
hist = {k: [float(v) for v in vals] for k, vals in history.history.items()}
with open(os.path.join(OUT, "history.json"), "w") as f:
    json.dump(hist, f, indent=1)

val_loss, val_acc = model.evaluate(x_va, y_va, verbose=0, batch_size=600)
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
    "train_loss": round(hist["loss"][-1], 4), "chance_acc": 0.25,
}))
