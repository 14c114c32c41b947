# Ticket triage (3 queues), synthetic stand-in. Audit of the labels showed ~20% of tickets were
# filed to a wrong queue (uniformly to one of the other two). The three clusters themselves are
# well separated, so the Bayes error is the flip rate: 0.20.
# A 20% train/dev error with a flat loss curve is therefore the goal, not a failure to learn.
# expect:
# allow:
# forbid: *
# evidence: Bayes err 0.20 (20% wrong-queue labels, separable clusters); train err 0.210, dev err 0.187; dev loss 0.636 vs label-noise entropy floor 0.639; loss flat from epoch 2 = at the floor
# native-log: history.json
# log-expect:
# log-allow:
import os
os.environ["KERAS_BACKEND"] = "torch"
import json
import tempfile

import numpy as np
import torch
import keras
from sklearn.datasets import make_blobs

torch.set_num_threads(1)
keras.utils.set_random_seed(7)
FLIP = 0.20


def tickets(n, seed):
    X, y = make_blobs(n_samples=n, centers=[[-4, 0, 0, 0, 0, 0], [4, 0, 0, 0, 0, 0], [0, 5, 0, 0, 0, 0]],
                      cluster_std=1.0, random_state=seed)
    r = np.random.default_rng(seed)
    wrong = r.random(n) < FLIP
    y[wrong] = (y[wrong] + r.integers(1, 3, wrong.sum())) % 3
    return X.astype("float32"), y


x_train, y_train = tickets(4000, 0)
x_dev, y_dev = tickets(1500, 1)

inputs = keras.Input((6,))
h = keras.layers.Dense(32, activation="relu")(inputs)
h = keras.layers.Dense(32, activation="relu")(h)
outputs = keras.layers.Dense(3, activation="softmax")(h)
model = keras.Model(inputs, outputs)
model.compile(keras.optimizers.Adam(2e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])


class BayesColumn(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        logs["bayes_error"] = FLIP


history = model.fit(x_train, y_train, batch_size=64, epochs=12, validation_data=(x_dev, y_dev),
                    callbacks=[BayesColumn()], verbose=0)

log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
with open(os.path.join(log_dir, "history.json"), "w") as fh:
    json.dump({k: [float(v) for v in vals] for k, vals in history.history.items()}, fh, indent=1)

tr_loss, tr_acc = model.evaluate(x_train, y_train, verbose=0)
dv_loss, dv_acc = model.evaluate(x_dev, y_dev, verbose=0)
print("epoch  loss   val_loss  acc    val_acc")
for e in range(len(history.history["loss"])):
    print(f"{e+1:5d}  {history.history['loss'][e]:.4f} {history.history['val_loss'][e]:.4f}   "
          f"{history.history['accuracy'][e]:.4f} {history.history['val_accuracy'][e]:.4f}")
print(f"Bayes err {FLIP:.2f}: train err {1 - tr_acc:.4f}, dev err {1 - dv_acc:.4f}")
print("CORPUS_METRIC " + json.dumps({"train_err": round(1 - tr_acc, 4), "dev_err": round(1 - dv_acc, 4),
                                     "bayes_err": FLIP, "train_loss": round(tr_loss, 4),
                                     "val_loss": round(dv_loss, 4), "val_acc": round(dv_acc, 4),
                                     "chance_acc": 1 / 3}))
