# expect:
# allow:
# forbid: *
# evidence: val_accuracy 0.82 -> 0.904 vs Bayes accuracy 0.915 of the true generative model (chance 0.167), train_acc 0.94; val_loss 1.01 -> 0.64 monotone (label-smoothing floor ~0.4); train_loss 0.60
# native-log: keras_log.csv
# log-expect:
# log-allow:
"""Healthy: Keras 3 (torch backend) Sequential MLP with BatchNormalization and Dropout, Adam
lr 1e-3, categorical cross-entropy with label_smoothing=0.1 (so the loss floor is ~0.4, not 0),
CSVLogger writing epoch,accuracy,loss,val_accuracy,val_loss. Nothing planted."""
import os, sys, json, tempfile, warnings
os.environ["KERAS_BACKEND"] = "torch"
warnings.filterwarnings("ignore")
import numpy as np
import torch
torch.set_num_threads(1)
import keras
keras.utils.set_random_seed(0)
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

rng = np.random.default_rng(0)
C, D = 6, 12
centers = rng.normal(0, 1.2, (C, 2, D))  # each segment is a mixture of two Gaussian blobs
def make(n):
    y = rng.integers(0, C, n)
    x = centers[y, rng.integers(0, 2, n)] + rng.normal(0, 1.0, (n, D))
    return x.astype("float32"), y
def bayes_acc(x, y):  # accuracy of the true posterior (equal priors, unit-variance blobs)
    d2 = ((x[:, None, None, :] - centers[None]) ** 2).sum(-1)
    lik = np.exp(-0.5 * (d2 - d2.min(axis=(1, 2), keepdims=True))).sum(-1)
    return float((lik.argmax(1) == y).mean())
xtr, ytr = make(6000); xva, yva = make(1000)
Ytr, Yva = keras.utils.to_categorical(ytr, C), keras.utils.to_categorical(yva, C)

model = keras.Sequential([keras.Input((D,)), keras.layers.Dense(128, activation="relu"), keras.layers.BatchNormalization(),
                          keras.layers.Dropout(0.2), keras.layers.Dense(64, activation="relu"), keras.layers.Dense(C, activation="softmax")])
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1), metrics=["accuracy"])
model.fit(xtr, Ytr, validation_data=(xva, Yva), epochs=12, batch_size=128, verbose=0,
          callbacks=[keras.callbacks.CSVLogger(os.path.join(LOGDIR, "keras_log.csv"))])
vl, vacc = model.evaluate(xva, Yva, verbose=0)
tl, tacc = model.evaluate(xtr, Ytr, verbose=0)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(vacc, 4), "train_loss": round(tl, 4), "train_acc": round(tacc, 4), "chance_acc": round(1 / C, 4), "bayes_acc": round(bayes_acc(xva, yva), 4)}))
