# expect:
# allow:
# forbid: *
# evidence: 6-class two-cluster-per-class data, BN+Dropout, ReduceLROnPlateau, EarlyStopping(restore best): test acc 0.949 (majority 0.20), test loss 0.156, train acc 0.986
# native-log: history.csv
# log-expect:
# log-allow:
"""Keras 3 (torch backend) Functional model: Dense + BatchNormalization + Dropout on a 6-class
problem (20 features; each class is a mixture of two gaussian clusters), validation_split=0.2,
ReduceLROnPlateau, EarlyStopping(restore_best_weights), CSVLogger."""
import os
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
keras.utils.set_random_seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="kfun_")

rng = np.random.default_rng(0)
D, C = 20, 6
CENTERS = rng.normal(size=(2 * C, D)) * 0.9


def sample(n):
    k = rng.integers(0, 2 * C, size=n)
    x = (CENTERS[k] + rng.normal(size=(n, D))).astype("float32")
    return x, k % C


x_train, y_train = sample(2000)
x_test, y_test = sample(1000)

inp = keras.Input(shape=(D,))
h = layers.Dense(128)(inp)
h = layers.BatchNormalization()(h)
h = layers.Activation("relu")(h)
h = layers.Dropout(0.2)(h)
h = layers.Dense(128)(h)
h = layers.BatchNormalization()(h)
h = layers.Activation("relu")(h)
h = layers.Dropout(0.2)(h)
out = layers.Dense(C, activation="softmax")(h)
model = keras.Model(inp, out)
model.compile(optimizer=keras.optimizers.Adam(2e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])

model.fit(
    x_train, y_train, validation_split=0.2, epochs=15, batch_size=64, verbose=0,
    callbacks=[
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=2, min_lr=1e-5),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True),
        keras.callbacks.CSVLogger(os.path.join(LOG_DIR, "history.csv")),
    ],
)
test_loss, test_acc = model.evaluate(x_test, y_test, verbose=0)
train_loss, train_acc = model.evaluate(x_train[:1600], y_train[:1600], verbose=0)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(test_loss, 4), "val_acc": round(test_acc, 4),
                                     "train_loss": round(train_loss, 4), "train_acc": round(train_acc, 4),
                                     "chance_acc": round(float(np.bincount(y_test).max() / len(y_test)), 4)}))
