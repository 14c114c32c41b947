# expect:
# allow:
# forbid: *
# evidence: held-out test accuracy 0.853 (loss 0.375) vs 0.85 for LDA, which is ~Bayes-optimal for this shared-covariance Gaussian data (chance 0.20); early stopping ends it at epoch 28 with lr halved by ReduceLROnPlateau
# native-log: history.csv
# log-expect:
# log-allow:
"""Keras 3 (torch backend) MLP for a 5-class tabular problem.

Dense -> BatchNorm -> ReLU -> Dropout blocks with L2 kernel regularisers, Adam, ReduceLROnPlateau
and EarlyStopping(restore_best_weights=True). The data is a noisy Gaussian-cluster problem, so
train accuracy stays a little above validation and the run stops on its own.
"""
import os

os.environ["KERAS_BACKEND"] = "torch"

import json
import tempfile

import numpy as np
import torch

torch.set_num_threads(1)

import keras
from keras import layers, regularizers

keras.utils.set_random_seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="keras_bn_")
os.makedirs(LOG_DIR, exist_ok=True)

rng = np.random.default_rng(0)
N_CLASSES, D = 5, 20
centers = rng.normal(0, 1.0, size=(N_CLASSES, 6))
mixing = rng.normal(0, 1.0, size=(6, D))


def sample(n):
    y = rng.integers(0, N_CLASSES, size=n)
    z = centers[y] + rng.normal(0, 0.6, size=(n, 6))
    x = z @ mixing + rng.normal(0, 0.5, size=(n, D))
    return x.astype("float32"), y


x_train, y_train = sample(2000)
x_val, y_val = sample(500)
x_test, y_test = sample(1000)
mu, sd = x_train.mean(0), x_train.std(0)
x_train, x_val, x_test = [(a - mu) / sd for a in (x_train, x_val, x_test)]


def block(units):
    return [layers.Dense(units, use_bias=False, kernel_regularizer=regularizers.l2(1e-4)),
            layers.BatchNormalization(), layers.Activation("relu"), layers.Dropout(0.3)]


model = keras.Sequential([keras.Input((D,)), *block(128), *block(64),
                          layers.Dense(N_CLASSES, activation="softmax")])
model.compile(optimizer=keras.optimizers.Adam(2e-3), loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])

callbacks = [
    keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=3, min_lr=1e-5),
    keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True),
    keras.callbacks.CSVLogger(os.path.join(LOG_DIR, "history.csv")),  # last, so it sees the lr
]
hist = model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=30, batch_size=100,
                 callbacks=callbacks, verbose=2)
test_loss, test_acc = model.evaluate(x_test, y_test, verbose=0)

# reference: classes are Gaussians with a shared covariance, so LDA is (near) Bayes-optimal here
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
lda_acc = LinearDiscriminantAnalysis().fit(x_train, y_train).score(x_test, y_test)
metric = {"val_loss": round(float(test_loss), 4), "val_acc": round(float(test_acc), 4),
          "train_loss": round(float(hist.history["loss"][-1]), 4),
          "train_acc": round(float(hist.history["accuracy"][-1]), 4),
          "epochs_run": len(hist.history["loss"]), "chance_acc": 0.2,
          "lda_reference_acc": round(float(lda_acc), 4)}
print("CORPUS_METRIC " + json.dumps(metric))
