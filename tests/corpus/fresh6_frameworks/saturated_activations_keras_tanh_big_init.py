# expect: saturated_activations
# allow: poor_initialization, vanishing_gradients, non_convergence, high_bias, overfitting, high_variance
# forbid: *
# evidence: planted (RandomNormal std 1.0): 69%/81% of tanh outputs |a|>0.99, val_acc 0.678, val_loss 0.859 (train_acc 0.88); control (glorot): 0.1%/0% saturated, val_acc 0.807, val_loss 0.544
# control: --control
# native-log: history.csv
# log-expect:
# log-allow: non_convergence, high_bias, overfitting, high_variance, poor_initialization
"""Keras 3 (torch backend) Functional tanh MLP whose Dense layers use
kernel_initializer=RandomNormal(stddev=1.0) ("unit-variance weights") on 40 standardised input
features. Pre-activations have std ~6, so almost every tanh unit sits at +-1 where its derivative is
~0. Probe: fraction of hidden tanh outputs with |a| > 0.99 on the test set.
--control: the default glorot_uniform initializer (nothing else changes)."""
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
keras.utils.set_random_seed(4)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="ksat_")
CONTROL = "--control" in sys.argv
rng = np.random.default_rng(4)
D, C = 40, 5
CENT = rng.normal(size=(C, D)) * 0.35


def sample(n):
    y = rng.integers(0, C, n)
    return (CENT[y] + rng.normal(size=(n, D))).astype("float32"), y


x_tr, y_tr = sample(2400)
x_va, y_va = sample(600)
init = "glorot_uniform" if CONTROL else keras.initializers.RandomNormal(stddev=1.0, seed=4)

inp = keras.Input(shape=(D,))
h1 = layers.Dense(128, activation="tanh", kernel_initializer=init, name="hidden1")(inp)
h2 = layers.Dense(128, activation="tanh", kernel_initializer=init, name="hidden2")(h1)
out = layers.Dense(C, activation="softmax")(h2)
model = keras.Model(inp, out)
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_tr, y_tr, validation_split=0.2, epochs=12, batch_size=64, verbose=0,
          callbacks=[keras.callbacks.CSVLogger(os.path.join(LOG_DIR, "history.csv"))])
val_loss, val_acc = model.evaluate(x_va, y_va, verbose=0)
train_loss, train_acc = model.evaluate(x_tr[:1920], y_tr[:1920], verbose=0)
probe = keras.Model(inp, [h1, h2])
a1, a2 = [np.asarray(keras.ops.convert_to_numpy(a)) for a in probe.predict(x_va, verbose=0)]
sat = [float((np.abs(a) > 0.99).mean()) for a in (a1, a2)]
print(f"probe: fraction |tanh| > 0.99: hidden1 {sat[0]:.2f}, hidden2 {sat[1]:.2f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "train_loss": round(train_loss, 4), "train_acc": round(train_acc, 4),
                                     "saturated_frac_h1": round(sat[0], 3), "saturated_frac_h2": round(sat[1], 3),
                                     "chance_acc": 0.2}))
