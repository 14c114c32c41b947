# expect:
# allow:
# forbid: *
# evidence: val_acc 0.996 (chance 0.25), val_loss 0.675 (epoch 0) -> 0.027 decreasing every logged epoch, train_loss 0.018
# native-log: training.csv
# log-expect:
# log-allow:
"""Keras 3 (torch backend) Sequential MLP on 4 Gaussian blobs in 10-D, standardised
inputs, plain SGD, 20 epochs, CSVLogger."""
import os

os.environ["KERAS_BACKEND"] = "torch"

import json
import tempfile

import numpy as np
import torch

torch.set_num_threads(1)
import keras  # noqa: E402

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="keras_blobs_")
os.makedirs(LOG_DIR, exist_ok=True)

rng = np.random.default_rng(0)
N_CLASSES, DIM = 4, 10
centers = rng.normal(0.0, 2.0, size=(N_CLASSES, DIM))


def sample(n):
    y = rng.integers(0, N_CLASSES, size=n)
    x = centers[y] + rng.normal(size=(n, DIM))
    return x.astype("float32"), y


x_train, y_train = sample(1000)
x_val, y_val = sample(500)
mu, sd = x_train.mean(0), x_train.std(0)
x_train = (x_train - mu) / sd
x_val = (x_val - mu) / sd

keras.utils.set_random_seed(0)
model = keras.Sequential([
    keras.Input(shape=(DIM,)),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(N_CLASSES, activation="softmax"),
])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05),
              loss="sparse_categorical_crossentropy", metrics=["accuracy"])
hist = model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=20, batch_size=64,
                 verbose=0, callbacks=[keras.callbacks.CSVLogger(os.path.join(LOG_DIR, "training.csv"))])

for ep in range(0, 20, 4):
    print(f"epoch {ep:2d} loss {hist.history['loss'][ep]:.4f} val_loss {hist.history['val_loss'][ep]:.4f} "
          f"val_acc {hist.history['val_accuracy'][ep]:.3f}")
val_loss, val_acc = model.evaluate(x_val, y_val, verbose=0)
train_loss, train_acc = model.evaluate(x_train, y_train, verbose=0)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(float(val_loss), 4), "val_acc": round(float(val_acc), 4),
                                     "train_loss": round(float(train_loss), 4), "chance_acc": 0.25}))
