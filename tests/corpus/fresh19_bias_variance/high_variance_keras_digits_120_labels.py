# Digit classifier for a new form type; only 120 crops were hand-labelled so far.
# Human-level error on such crops: ~1% (proxy for Bayes error).
# Model: 2 x 512 ReLU MLP, no dropout / weight decay / augmentation, trained to zero train loss.
# --control: the same model on the full 1250 labelled crops (same dev set).
# expect: high_variance
# allow: overfitting
# forbid: *
# evidence: human err 0.01; planted (120 labels) train err 0.000, dev err 0.082 -> variance 0.082 (8x the Bayes err); control (1250 labels, same model, same ~240 updates) train err 0.005, dev err 0.027
# control: --control
# native-log: fit_log.csv
# log-expect: high_variance
# log-allow: overfitting
import os
os.environ["KERAS_BACKEND"] = "torch"
import argparse, json, tempfile

import numpy as np
import torch
import keras
from sklearn.datasets import load_digits

torch.set_num_threads(1)
keras.utils.set_random_seed(3)
HUMAN_LEVEL_ERR = 0.01

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true")
opts = parser.parse_args()

X, y = load_digits(return_X_y=True)
X = X.astype("float32") / 16.0
perm = np.random.RandomState(0).permutation(len(y))
pool, dev = perm[:1250], perm[1250:]
train_idx = pool if opts.control else pool[:120]
Xtr, ytr, Xdev, ydev = X[train_idx], y[train_idx], X[dev], y[dev]

net = keras.Sequential([keras.Input((64,)),
                        keras.layers.Dense(512, activation="relu"),
                        keras.layers.Dense(512, activation="relu"),
                        keras.layers.Dense(10)])
net.compile(optimizer=keras.optimizers.Adam(1e-3),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=[keras.metrics.SparseCategoricalAccuracy(name="acc")])

logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(logdir, exist_ok=True)


class ErrorColumns(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        logs["train_err"] = 1 - logs["acc"]
        logs["dev_err"] = 1 - logs["val_acc"]
        logs["bayes_err"] = HUMAN_LEVEL_ERR


# same number of weight updates in both runs (~240)
steps_per_epoch = int(np.ceil(len(ytr) / 32))
epochs = max(4, 240 // steps_per_epoch)
net.fit(Xtr, ytr, batch_size=32, epochs=epochs, validation_data=(Xdev, ydev), verbose=0,
        callbacks=[ErrorColumns(), keras.callbacks.CSVLogger(os.path.join(logdir, "fit_log.csv"))])

tl, ta = net.evaluate(Xtr, ytr, verbose=0)
vl, va = net.evaluate(Xdev, ydev, verbose=0)
print(f"n_train={len(ytr)} epochs={epochs}: human err {HUMAN_LEVEL_ERR}  train err {1-ta:.4f}  dev err {1-va:.4f}")
print(f"avoidable bias {1-ta-HUMAN_LEVEL_ERR:+.4f}  variance {(1-va)-(1-ta):+.4f}")
print("CORPUS_METRIC " + json.dumps({"train_err": round(1 - ta, 4), "dev_err": round(1 - va, 4),
                                     "bayes_err": HUMAN_LEVEL_ERR, "train_loss": round(tl, 4),
                                     "val_loss": round(vl, 4), "val_acc": round(va, 4), "chance_acc": 0.1,
                                     "n_train": int(len(ytr))}))
