# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (no early stopping, 40 epochs, 3x256 MLP on 1200 noisy customers) val_loss climbs from 0.507 (epoch 5) to 1.056 while train_loss -> 0.03, val_acc 0.709; control (--control, EarlyStopping patience 4 + restore_best_weights) val_loss 0.507, val_acc 0.745
# control: --control
# native-log: churn_training.csv
# log-expect: overfitting
# log-allow: high_variance
"""Telecom churn model. Subclassed keras.Model, torch backend."""
import os
os.environ.setdefault("KERAS_BACKEND", "torch")
import json
import sys
import tempfile

import numpy as np
import torch
import keras

torch.set_num_threads(1)
keras.utils.set_random_seed(99)

N_TRAIN = 1200
EPOCHS = 40
# early stopping was switched off "to see the full curve" and the long run was kept
USE_EARLY_STOPPING = "--control" in sys.argv

COLUMNS = ["tenure_months", "monthly_charges", "total_charges", "support_calls", "contract_len", "data_gb",
           "dropped_calls", "roaming_min", "age", "n_lines", "autopay", "paperless", "promo", "complaints"]


def customers(n, rng):
    X = rng.normal(size=(n, len(COLUMNS)))
    logit = (-0.9 * X[:, 0] + 0.7 * X[:, 1] + 0.8 * X[:, 3] - 0.6 * X[:, 4] + 0.5 * X[:, 6] * (X[:, 1] > 0)
             + 0.4 * X[:, 13] - 0.3 * X[:, 10] + 0.3 * np.sin(2 * X[:, 5]))
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype("float32")
    return X.astype("float32"), y


class ChurnNet(keras.Model):
    def __init__(self, width=256):
        super().__init__()
        self.h1 = keras.layers.Dense(width, activation="relu")
        self.h2 = keras.layers.Dense(width, activation="relu")
        self.h3 = keras.layers.Dense(width, activation="relu")
        self.out = keras.layers.Dense(1, activation="sigmoid")

    def call(self, x):
        return self.out(self.h3(self.h2(self.h1(x))))


rng = np.random.default_rng(99)
X_all, y_all = customers(N_TRAIN + 1000, rng)
X_tr, y_tr = X_all[:N_TRAIN], y_all[:N_TRAIN]
X_va, y_va = X_all[N_TRAIN:], y_all[N_TRAIN:]

model = ChurnNet()
model.compile(optimizer=keras.optimizers.Adam(5e-4), loss="binary_crossentropy", metrics=["accuracy"])
out_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
callbacks = [keras.callbacks.CSVLogger(os.path.join(out_dir, "churn_training.csv"))]
if USE_EARLY_STOPPING:
    callbacks.append(keras.callbacks.EarlyStopping(monitor="val_loss", patience=4, restore_best_weights=True))
hist = model.fit(X_tr, y_tr, validation_data=(X_va, y_va), epochs=EPOCHS, batch_size=128, verbose=0, callbacks=callbacks)
h = hist.history
best = int(np.argmin(h["val_loss"]))
print(f"n_train={N_TRAIN} best val_loss {h['val_loss'][best]:.3f} @ epoch {best + 1}; final train_loss {h['loss'][-1]:.3f} "
      f"val_loss {h['val_loss'][-1]:.3f} val_acc {h['val_accuracy'][-1]:.3f} epochs {len(h['loss'])}")
val_loss, val_acc = model.evaluate(X_va, y_va, verbose=0)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                      "train_loss": round(h["loss"][-1], 4), "train_acc": round(h["accuracy"][-1], 4),
                                      "best_val_loss": round(h["val_loss"][best], 4),
                                      "chance_acc": round(float(max(y_va.mean(), 1 - y_va.mean())), 4)}))
