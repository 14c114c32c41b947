"""Keras 3 (torch backend): Sequential MLP on a synthetic tabular 3-class problem.

Features are standardised with statistics from the training split, the model is a plain
Dense/Dropout stack trained with Adam, CSVLogger + EarlyStopping(restore_best_weights).
"""
# expect:
# allow:
# forbid: *
# evidence: held-out val_acc 0.87, val_loss 0.39 (majority 0.37; labels carry 5% flips), train_loss 0.33; EarlyStopping restores the best epoch
# native-log: keras_training_log.csv
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

keras.utils.set_random_seed(7)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="keras_tab_")
os.makedirs(log_dir, exist_ok=True)


def make_data(n, rng):
    # 20 features, a few of them informative through a nonlinear teacher
    X = rng.normal(size=(n, 20)).astype("float32")
    W1 = np.random.default_rng(123).normal(size=(20, 8))
    W2 = np.random.default_rng(321).normal(size=(8, 3))
    logits = np.tanh(X @ W1 / np.sqrt(20.0)) @ W2
    y = logits.argmax(1)
    flip = rng.random(n) < 0.05
    y[flip] = rng.integers(0, 3, flip.sum())
    return X, y.astype("int64")


rng = np.random.default_rng(0)
X_train, y_train = make_data(5000, rng)
X_test, y_test = make_data(1000, rng)
mu, sd = X_train.mean(0), X_train.std(0)
X_train = (X_train - mu) / sd
X_test = (X_test - mu) / sd

model = keras.Sequential(
    [
        keras.Input(shape=(20,)),
        layers.Dense(64, activation="relu"),
        layers.Dropout(0.1),
        layers.Dense(64, activation="relu"),
        layers.Dense(3, activation="softmax"),
    ]
)
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=3e-3),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)

callbacks = [
    keras.callbacks.CSVLogger(os.path.join(log_dir, "keras_training_log.csv")),
    keras.callbacks.EarlyStopping(monitor="val_loss", patience=8, restore_best_weights=True),
]
hist = model.fit(
    X_train, y_train,
    validation_split=0.2,
    epochs=40,
    batch_size=128,
    callbacks=callbacks,
    verbose=0,
)
for ep, (l, vl, va) in enumerate(zip(hist.history["loss"], hist.history["val_loss"], hist.history["val_accuracy"])):
    print(f"epoch {ep + 1:2d} loss {l:.4f} val_loss {vl:.4f} val_acc {va:.4f}")

test_loss, test_acc = model.evaluate(X_test, y_test, verbose=0, batch_size=500)
train_loss, train_acc = model.evaluate(X_train, y_train, verbose=0, batch_size=500)
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(float(test_loss), 4), "val_acc": round(float(test_acc), 4),
    "train_loss": round(float(train_loss), 4), "train_acc": round(float(train_acc), 4),
    "chance_acc": round(float(np.bincount(y_test).max() / len(y_test)), 4),
}))
