# expect:
# allow:
# forbid: *
# evidence: healthy: Adam 1e-3, 15 ep, validation_split 0.2; val_loss 2.03 -> 0.13, train loss 0.076, test loss 0.129, test acc 0.961 on 360 held-out digits (chance 0.10)
# native-log: keras_cnn_history.json
# log-expect:
# log-allow:
# Keras lab 4: first ConvNet. 8x8 digits -> Conv2D/MaxPool/Dense, validation_split=0.2, history saved as json.
import os
os.environ["KERAS_BACKEND"] = "torch"
import json, tempfile
import numpy as np
import torch
torch.set_num_threads(1)
import keras
from keras import layers
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

keras.utils.set_random_seed(7)
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

digits = load_digits()
x = (digits.images / 16.0).astype("float32")[..., None]      # (n, 8, 8, 1)
y = digits.target
x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, random_state=7, stratify=y)

model = keras.Sequential([
    keras.Input(shape=(8, 8, 1)),
    layers.Conv2D(16, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(2),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.Flatten(),
    layers.Dense(64, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])

history = model.fit(x_train, y_train, epochs=15, batch_size=64, validation_split=0.2, verbose=2)
with open(os.path.join(LOGDIR, "keras_cnn_history.json"), "w") as f:
    json.dump({k: [float(v) for v in vals] for k, vals in history.history.items()}, f)

test_loss, test_acc = model.evaluate(x_test, y_test, verbose=0)
print(f"test loss {test_loss:.4f}  test acc {test_acc:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(float(test_loss), 4), "val_acc": round(float(test_acc), 4),
                                     "train_loss": round(float(history.history["loss"][-1]), 4), "chance_acc": 0.1}))
