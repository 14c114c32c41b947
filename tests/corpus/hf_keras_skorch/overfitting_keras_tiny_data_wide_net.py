# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (40 train points) val_loss best 0.756 at epoch 11 then rises to 1.153 at epoch 99, val_acc 0.78, train_loss 0.0018; control (1000 points, ~same steps) val_loss 0.642, val_acc 0.86 (15% label noise: best achievable ~0.88)
# control: --control
# native-log: training.csv
# log-expect: overfitting
# log-allow: high_variance
"""Keras 3 (torch backend): a 2x256 ReLU MLP fit on only 40 labelled points of a noisy
5-class problem (15% of labels are random) for 100 epochs, no regularisation. --control
trains the same model for about the same number of optimizer steps (~200) on 1000
labelled points."""
import os
os.environ["KERAS_BACKEND"] = "torch"

import argparse
import json
import tempfile

import numpy as np
import torch
import keras
from keras import layers

torch.set_num_threads(1)


def blobs(n, rng, centers, label_noise=0.15):
    y = rng.integers(0, len(centers), size=n)
    x = (centers[y] + rng.normal(size=(n, centers.shape[1]))).astype("float32")
    flip = rng.random(n) < label_noise          # annotators disagree on ~15% of points
    y = np.where(flip, rng.integers(0, len(centers), size=n), y)
    return x, y


def run(n_train, epochs, logdir):
    rng = np.random.default_rng(4)
    centers = rng.normal(0, 1.0, size=(5, 16))
    x_val, y_val = blobs(300, rng, centers)
    x_tr, y_tr = blobs(n_train, rng, centers)

    keras.utils.set_random_seed(4)
    model = keras.Sequential([layers.Input((16,)),
                              layers.Dense(256, activation="relu"),
                              layers.Dense(256, activation="relu"),
                              layers.Dense(5, activation="softmax")])
    model.compile(keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    h = model.fit(x_tr, y_tr, validation_data=(x_val, y_val), batch_size=32, epochs=epochs, verbose=0,
                  callbacks=[keras.callbacks.CSVLogger(os.path.join(logdir, "training.csv"))]).history
    best = int(np.argmin(h["val_loss"]))
    tl, ta = model.evaluate(x_tr, y_tr, verbose=0)
    return {"n_train": n_train, "val_loss": round(h["val_loss"][-1], 4), "val_acc": round(h["val_accuracy"][-1], 4),
            "best_val_loss": round(h["val_loss"][best], 4), "best_epoch": best,
            "train_loss": round(float(tl), 5), "train_acc": round(float(ta), 4), "chance_acc": 0.2}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    a = ap.parse_args()
    out = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    os.makedirs(out, exist_ok=True)
    res = run(1000, 7, out) if a.control else run(40, 100, out)
    print("CORPUS_METRIC " + json.dumps(res))
