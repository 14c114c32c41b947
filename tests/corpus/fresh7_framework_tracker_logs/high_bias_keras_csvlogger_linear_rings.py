# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: control (2 hidden Dense 64) train_acc 0.94, val_acc 0.93; planted (linear softmax) train_acc 0.40, val_acc 0.40, train_loss 1.09 (majority 0.38, Bayes error ~0.02): train error 0.60 is avoidable bias, train-val gap ~0
# control: --control
# native-log: rings_log.csv
# log-expect: high_bias
# log-allow: non_convergence
"""Planted high_bias (model too small): Keras 3 (torch backend) logistic-regression model (a
single Dense softmax layer) on a 3-class concentric-rings problem with 4-D inputs (radius
decides the class, ~2% label noise, so the Bayes error is ~0.02). A linear model cannot
separate rings: train and validation accuracy both plateau near 0.5. Adam lr 1e-2, 20 epochs,
CSVLogger. --control inserts two hidden Dense(64, relu) layers (capacity is the only change)."""
import os, sys, json, tempfile, warnings
os.environ["KERAS_BACKEND"] = "torch"
warnings.filterwarnings("ignore")
import numpy as np
import torch
torch.set_num_threads(1)
import keras
keras.utils.set_random_seed(17)
CONTROL = "--control" in sys.argv
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

rng = np.random.default_rng(17)
def make(n):
    x = rng.normal(0, 1, (n, 4)); r = np.linalg.norm(x[:, :2], axis=1)
    y = np.digitize(r, [0.85, 1.5]); flip = rng.random(n) < 0.02; y[flip] = rng.integers(0, 3, flip.sum())
    return x.astype("float32"), y
xtr, ytr = make(5000); xva, yva = make(1000)
hidden = [keras.layers.Dense(64, activation="relu"), keras.layers.Dense(64, activation="relu")] if CONTROL else []
model = keras.Sequential([keras.Input((4,)), *hidden, keras.layers.Dense(3, activation="softmax")])
model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(xtr, ytr, validation_data=(xva, yva), epochs=20, batch_size=128, verbose=0,
          callbacks=[keras.callbacks.CSVLogger(os.path.join(LOGDIR, "rings_log.csv"))])
vl, vacc = model.evaluate(xva, yva, verbose=0); tl, tacc = model.evaluate(xtr, ytr, verbose=0)
maj = np.bincount(yva).max() / len(yva)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(vacc, 4), "train_loss": round(tl, 4), "train_acc": round(tacc, 4), "chance_acc": round(float(maj), 4), "bayes_error_approx": 0.02}))
