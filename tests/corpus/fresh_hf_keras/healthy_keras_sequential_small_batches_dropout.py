# expect:
# allow:
# forbid: *
# evidence: test_acc 0.936 (chance 0.33), val_loss 1.06 -> 0.207 (best at the last epoch); train loss 0.30 > val loss because of dropout
# native-log: rings_training.csv
# log-expect:
# log-allow:
"""Keras 3 Sequential MLP (torch backend) on 3 noisy concentric rings plus 6 nuisance features.
Tiny batches of 8, Dropout(0.3) and AdamW weight decay: the per-batch training curve is noisy,
the train loss (with dropout active) stays above the validation loss. validation_split=0.25."""
import os

os.environ["KERAS_BACKEND"] = "torch"

import json  # noqa: E402
import tempfile  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(1)
import keras  # noqa: E402
from keras import layers  # noqa: E402

keras.utils.set_random_seed(31)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="keras_rings_")
os.makedirs(LOG_DIR, exist_ok=True)

rng = np.random.default_rng(31)


def rings(n):
    y = rng.integers(0, 3, size=n)
    radius = 1.0 + y + 0.25 * rng.normal(size=n)
    angle = rng.uniform(0, 2 * np.pi, size=n)
    xy = np.stack([radius * np.cos(angle), radius * np.sin(angle)], 1)
    x = np.concatenate([xy / 2.0, rng.normal(size=(n, 6))], 1).astype("float32")
    return x, y


x_tr, y_tr = rings(800)
x_te, y_te = rings(1000)

model = keras.Sequential([
    keras.Input(shape=(8,)),
    layers.Dense(64, activation="relu"),
    layers.Dropout(0.3),
    layers.Dense(64, activation="relu"),
    layers.Dropout(0.3),
    layers.Dense(3, activation="softmax"),
])
model.compile(optimizer=keras.optimizers.AdamW(learning_rate=5e-3, weight_decay=1e-2),
              loss="sparse_categorical_crossentropy", metrics=["accuracy"])
hist = model.fit(x_tr, y_tr, validation_split=0.25, epochs=14, batch_size=8, verbose=2,
                 callbacks=[keras.callbacks.CSVLogger(os.path.join(LOG_DIR, "rings_training.csv"))])
test_loss, test_acc = model.evaluate(x_te, y_te, verbose=0)
print("CORPUS_METRIC " + json.dumps({
    "test_loss": round(float(test_loss), 4), "test_acc": round(float(test_acc), 4),
    "val_loss": round(float(hist.history["val_loss"][-1]), 4),
    "train_loss": round(float(hist.history["loss"][-1]), 4), "chance_acc": 0.3333}))
