# expect: dead_units
# allow: learning_rate_too_high, non_convergence, high_bias, exploding_gradients
# forbid: *
# evidence: planted (SGD lr=0.5): 98% of hidden2 ReLUs never fire on the test set, val_acc 0.303, loss stuck at 1.36 (ln4 1.39); control (lr=0.02): 0% dead, val_acc 0.900
# control: --control
# native-log: history.csv
# log-expect: non_convergence
# log-allow: learning_rate_too_high, high_bias
"""Keras 3 (torch backend) Functional ReLU MLP (He init), SGD with momentum 0.9 at lr=0.5: the first
large updates push the second hidden layer's pre-activations negative for every input and those ReLU
units never fire again ("dying ReLU"); the network is left with a handful of live units.
Probe: fraction of hidden units that output 0 for every test example.
--control: lr=0.02 (nothing else changes)."""
import os
import sys
import json
import tempfile
import warnings

os.environ["KERAS_BACKEND"] = "torch"
warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

torch.set_num_threads(1)
keras.utils.set_random_seed(5)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="kdead_")
LR = 0.02 if "--control" in sys.argv else 0.5
rng = np.random.default_rng(5)
D, C = 30, 4
CENT = rng.normal(size=(C, D)) * 0.5


def sample(n):
    y = rng.integers(0, C, n)
    return (CENT[y] + rng.normal(size=(n, D))).astype("float32"), y


x_tr, y_tr = sample(2400)
x_va, y_va = sample(600)

inp = keras.Input(shape=(D,))
h1 = layers.Dense(128, activation="relu", kernel_initializer="he_normal", name="hidden1")(inp)
h2 = layers.Dense(128, activation="relu", kernel_initializer="he_normal", name="hidden2")(h1)
out = layers.Dense(C, activation="softmax")(h2)
model = keras.Model(inp, out)
model.compile(optimizer=keras.optimizers.SGD(LR, momentum=0.9), loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])
model.fit(x_tr, y_tr, validation_split=0.2, epochs=10, batch_size=64, verbose=0,
          callbacks=[keras.callbacks.CSVLogger(os.path.join(LOG_DIR, "history.csv"))])
val_loss, val_acc = model.evaluate(x_va, y_va, verbose=0)
train_loss, train_acc = model.evaluate(x_tr[:1920], y_tr[:1920], verbose=0)
acts = keras.Model(inp, [h1, h2]).predict(x_va, verbose=0)
dead = [float(((np.asarray(a) > 0).sum(0) == 0).mean()) for a in acts]
print(f"probe: fraction of ReLU units never active on the test set: hidden1 {dead[0]:.2f}, hidden2 {dead[1]:.2f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "train_loss": round(train_loss, 4), "train_acc": round(train_acc, 4),
                                     "dead_frac_h1": round(dead[0], 3), "dead_frac_h2": round(dead[1], 3),
                                     "lr": LR, "chance_acc": 0.25}))
