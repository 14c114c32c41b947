# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (X_train[:60] left from debugging) train loss -> 0.0056 (acc 1.00) while val_loss bottoms at 0.534 (ep19) and rises to 0.587 (ep32), val_acc 0.824; control (all 718 training images) train loss 0.0011, val_loss 0.105, val_acc 0.973
# control: --control
# native-log: keras_history.csv
# log-expect: overfitting
# log-allow: high_variance
# Assignment 3 - Keras MLP on the digits dataset
import os
os.environ["KERAS_BACKEND"] = "torch"
import sys
import json
import tempfile
import numpy as np
import torch
torch.set_num_threads(1)
import keras
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

keras.utils.set_random_seed(0)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

(X, y) = load_digits(return_X_y=True)
X = X.astype("float32") / 16.0
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.6, random_state=21, stratify=y)

# debugging: use a small part so that it runs fast
if "--control" not in sys.argv:
    X_train, y_train = X_train[:60], y_train[:60]
print("training samples:", len(X_train))

model = keras.Sequential()
model.add(keras.Input(shape=(64,)))
model.add(keras.layers.Dense(256, activation="relu"))
model.add(keras.layers.Dense(256, activation="relu"))
model.add(keras.layers.Dense(10, activation="softmax"))
model.compile(optimizer=keras.optimizers.Adam(learning_rate=2e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])

hist = model.fit(X_train, y_train, validation_data=(X_val, y_val), epochs=32, batch_size=32, verbose=0,
                 callbacks=[keras.callbacks.CSVLogger(os.path.join(log_dir, "keras_history.csv"))])

for e in range(0, 32, 4):
    print("Epoch %d/32 - loss: %.4f - acc: %.4f - val_loss: %.4f - val_acc: %.4f" % (
        e + 1, hist.history["loss"][e], hist.history["accuracy"][e],
        hist.history["val_loss"][e], hist.history["val_accuracy"][e]))

val_loss, val_acc = model.evaluate(X_val, y_val, verbose=0)
print("best val_loss %.4f at epoch %d" % (min(hist.history["val_loss"]), int(np.argmin(hist.history["val_loss"])) + 1))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(float(val_loss), 4), "val_acc": round(float(val_acc), 4),
                                     "train_loss": round(float(hist.history["loss"][-1]), 4), "chance_acc": 0.1}))
