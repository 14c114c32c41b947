# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: planted (logistic regression) train error 0.159, val error 0.170 (val_loss 0.336); achievable error (control, 2x64 ReLU MLP) val error 0.010, train error 0.007 -> avoidable bias ~0.15 dominates, variance ~0.01
# control: --control
# native-log: history.json
# log-expect:
# log-allow: high_bias, non_convergence
"""Keras 3 (torch backend) binary classifier on make_moons (noise 0.15, 2 features, 2000 points).
Planted: the model is a single Dense(1, sigmoid) -- logistic regression -- which cannot bend around
the moons. --control: one hidden layer of 64 ReLU units in front of it. History saved as JSON."""
import os, sys, json, tempfile, warnings
os.environ["KERAS_BACKEND"] = "torch"
warnings.filterwarnings("ignore")
import numpy as np
import torch
torch.set_num_threads(1)
import keras
from keras import layers
from sklearn.datasets import make_moons

keras.utils.set_random_seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
X, y = make_moons(2000, noise=0.15, random_state=0)
X = ((X - X.mean(0)) / X.std(0)).astype("float32"); y = y.astype("float32")
Xtr, ytr, Xva, yva = X[:1500], y[:1500], X[1500:], y[1500:]
hidden = [layers.Dense(64, activation="relu"), layers.Dense(64, activation="relu")] if CONTROL else []
model = keras.Sequential([keras.Input((2,))] + hidden + [layers.Dense(1, activation="sigmoid")])
model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="binary_crossentropy", metrics=["accuracy"])
hist = model.fit(Xtr, ytr, validation_data=(Xva, yva), epochs=15, batch_size=64, verbose=0)
with open(os.path.join(LOG_DIR, "history.json"), "w") as f:
    json.dump({k: [float(v) for v in vs] for k, vs in hist.history.items()}, f)
tl, ta = model.evaluate(Xtr, ytr, verbose=0); vl, va = model.evaluate(Xva, yva, verbose=0)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(ta, 4), "chance_acc": 0.5}))
