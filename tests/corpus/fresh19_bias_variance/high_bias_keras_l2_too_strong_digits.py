# Handwritten digits (sklearn 8x8). Human-level error on these crops is ~1% (we use 0.01 as the
# proxy for Bayes error). Dense net with an L2 penalty copied from a config written for a
# different loss scale: l2=0.03 on every kernel.  --control uses l2=1e-4.
# expect: high_bias
# allow: non_convergence, dead_units
# forbid: *
# evidence: human-level err 0.01; planted (l2=0.03) train err 0.109, dev err 0.109, train loss stuck ~1.7 -> avoidable bias 0.10; control (l2=1e-4) train err 0.013, dev err 0.024
# control: --control
# native-log: training_log.csv
# log-expect: high_bias
# log-allow: non_convergence
import os
os.environ["KERAS_BACKEND"] = "torch"
import sys, json, tempfile

import numpy as np
import torch
torch.set_num_threads(1)
import keras
from keras import layers, regularizers
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

keras.utils.set_random_seed(42)
HUMAN_ERR = 0.01
L2 = 1e-4 if "--control" in sys.argv else 0.03
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)

digits = load_digits()
X = (digits.data / 16.0).astype("float32")
y = digits.target
X_train, X_dev, y_train, y_dev = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)

reg = regularizers.l2(L2)
model = keras.Sequential([
    keras.Input(shape=(64,)),
    layers.Dense(128, activation="relu", kernel_regularizer=reg),
    layers.Dense(64, activation="relu", kernel_regularizer=reg),
    layers.Dense(10, activation="softmax", kernel_regularizer=reg),
])
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])


class BiasVarianceColumns(keras.callbacks.Callback):
    """Adds Ng-style error columns next to Keras' own metrics in the CSV."""
    def on_epoch_end(self, epoch, logs=None):
        logs["train_error"] = 1.0 - logs["accuracy"]
        logs["dev_error"] = 1.0 - logs["val_accuracy"]
        logs["bayes_error"] = HUMAN_ERR


hist = model.fit(X_train, y_train, validation_data=(X_dev, y_dev), epochs=16, batch_size=64, verbose=0,
                 callbacks=[BiasVarianceColumns(),
                            keras.callbacks.CSVLogger(os.path.join(log_dir, "training_log.csv"))])

train_loss, train_acc = model.evaluate(X_train, y_train, verbose=0)
dev_loss, dev_acc = model.evaluate(X_dev, y_dev, verbose=0)
train_err, dev_err = 1 - train_acc, 1 - dev_acc
print(f"l2={L2}  human-level err {HUMAN_ERR:.3f}  train err {train_err:.3f}  dev err {dev_err:.3f}")
print(f"avoidable bias {train_err - HUMAN_ERR:.3f}  variance {dev_err - train_err:.3f}")
print("CORPUS_METRIC " + json.dumps({"train_err": round(train_err, 4), "dev_err": round(dev_err, 4),
                                     "bayes_err": HUMAN_ERR, "train_loss": round(train_loss, 4),
                                     "val_loss": round(dev_loss, 4), "val_acc": round(dev_acc, 4),
                                     "chance_acc": 0.1}))
