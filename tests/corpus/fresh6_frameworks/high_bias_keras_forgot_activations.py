# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: planted (Dense layers without activation = linear model on rings): train_acc 0.546, val_acc 0.528, train loss 0.69; control (relu): train_acc 0.998, val_acc 0.998
# control: --control
# native-log: history.csv
# log-expect: high_bias
# log-allow: non_convergence
"""Keras 3 (torch backend): a 3-hidden-layer Sequential model whose Dense layers were written without
an activation (keras' default is linear), so the whole stack is one linear map. Data: two concentric
rings (plus 4 noise features); a linear classifier cannot separate them, so even the training
accuracy stays low. --control: activation="relu" in the hidden layers."""
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
keras.utils.set_random_seed(3)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="klin_")
ACT = "relu" if "--control" in sys.argv else None
rng = np.random.default_rng(3)


def rings(n):
    y = rng.integers(0, 2, n)
    r = np.where(y == 1, 2.0, 1.0) + 0.15 * rng.normal(size=n)
    t = rng.uniform(0, 2 * np.pi, n)
    x = np.concatenate([np.stack([r * np.cos(t), r * np.sin(t)], 1), 0.5 * rng.normal(size=(n, 4))], 1)
    return x.astype("float32"), y.astype("float32")


x_tr, y_tr = rings(2400)
x_va, y_va = rings(600)

model = keras.Sequential([
    keras.Input(shape=(6,)),
    layers.Dense(64, activation=ACT),
    layers.Dense(64, activation=ACT),
    layers.Dense(32, activation=ACT),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x_tr, y_tr, validation_split=0.2, epochs=12, batch_size=64, verbose=0,
          callbacks=[keras.callbacks.CSVLogger(os.path.join(LOG_DIR, "history.csv"))])
val_loss, val_acc = model.evaluate(x_va, y_va, verbose=0)
train_loss, train_acc = model.evaluate(x_tr[:1920], y_tr[:1920], verbose=0)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "train_loss": round(train_loss, 4), "train_acc": round(train_acc, 4),
                                     "chance_acc": 0.5}))
