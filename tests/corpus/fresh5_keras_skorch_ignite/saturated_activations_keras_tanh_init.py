"""Keras 3 (torch backend): a tanh MLP for 5-class tabular classification.

Planted: the author copied `kernel_initializer=RandomNormal(stddev=1.0)` from an old snippet
into every hidden Dense layer; with 128-wide layers the tanh pre-activations have std ~11 and
the units sit at +-1. --control uses the Keras default (glorot_uniform).
"""
# expect: saturated_activations
# allow: poor_initialization, vanishing_gradients, non_convergence, high_bias, overfitting, high_variance
# forbid: *
# evidence: control (glorot) val_acc 0.78, val_loss 0.61; planted (N(0,1) init) val_acc 0.62, val_loss 1.05 (train_loss 0.39: the saturated net memorises a hash of the inputs); probe: fraction of hidden tanh outputs with |a|>0.99 is 0.49-0.81 per layer planted vs 0.00 control
# control: --control
# native-log: history.json
# log-expect:
# log-allow: non_convergence, high_bias, overfitting, high_variance
import os
import sys
import json
import tempfile

os.environ["KERAS_BACKEND"] = "torch"
import numpy as np
import torch

torch.set_num_threads(1)
import keras
from keras import layers

CONTROL = "--control" in sys.argv
keras.utils.set_random_seed(3)
LOG = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG, exist_ok=True)

g = np.random.default_rng(8)
centers = g.normal(0, 0.45, size=(5, 16))
Xs, ys = [], []
for c in range(5):
    Xs.append(centers[c] + g.normal(size=(700, 16)))
    ys.append(np.full(700, c))
X = np.concatenate(Xs).astype("float32")
y = np.concatenate(ys)
perm = g.permutation(len(y))
X, y = X[perm], y[perm]
X = (X - X.mean(0)) / X.std(0)
X_tr, y_tr, X_va, y_va = X[:2800], y[:2800], X[2800:], y[2800:]

init = "glorot_uniform" if CONTROL else keras.initializers.RandomNormal(stddev=1.0)
inp = keras.Input((16,))
h = inp
hidden = []
for i in range(4):
    h = layers.Dense(128, activation="tanh", kernel_initializer=init, name=f"tanh_{i}")(h)
    hidden.append(h)
out = layers.Dense(5, activation="softmax")(h)
model = keras.Model(inp, out)
probe = keras.Model(inp, hidden)

model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])
h = model.fit(X_tr, y_tr, validation_data=(X_va, y_va), epochs=10, batch_size=64, verbose=0)
json.dump(h.history, open(os.path.join(LOG, "history.json"), "w"), default=float)

acts = probe.predict(X_va[:300], verbose=0)
sat = [float(np.mean(np.abs(np.asarray(a)) > 0.99)) for a in acts]
print("saturated fraction per tanh layer:", [round(s, 3) for s in sat])
vl, va = model.evaluate(X_va, y_va, verbose=0, batch_size=700)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                     "train_loss": round(float(h.history["loss"][-1]), 4),
                                     "chance_acc": 0.2, "saturated_frac": round(float(np.mean(sat)), 3)}))
