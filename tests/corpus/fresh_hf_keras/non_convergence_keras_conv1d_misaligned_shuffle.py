# expect: non_convergence
# allow: high_bias
# forbid: *
# evidence: planted (independent shuffles): train loss 1.102 -> 1.098 = ln3 for 10 epochs, test_acc 0.318 (chance 0.333); control (one permutation): test_acc 0.988, test_loss 0.040
# control: --control
# native-log: waveforms.csv
# log-expect: non_convergence
# log-allow: high_bias
"""Keras 3 (torch backend) Conv1D classifier for noisy waveforms (sine / square / sawtooth).
Because validation_split takes the *last* 20% of the arrays, the script shuffles them first,
but it shuffles signals and labels with two independent calls, so labels no longer belong to
their signals: the loss never moves off log(3). --control applies one permutation to both."""
import os

os.environ["KERAS_BACKEND"] = "torch"

import argparse  # noqa: E402
import json  # noqa: E402
import tempfile  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(1)
import keras  # noqa: E402
from keras import layers  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true", help="shuffle signals and labels together")
cli = parser.parse_args()

keras.utils.set_random_seed(53)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="keras_waves_")
os.makedirs(LOG_DIR, exist_ok=True)

T = 64
rng = np.random.default_rng(53)


def waveforms(n_per_class):
    xs, ys = [], []
    t = np.arange(T)
    for cls in range(3):
        period = rng.uniform(10, 24, size=(n_per_class, 1))
        phase = rng.uniform(0, 1, size=(n_per_class, 1))
        u = (t[None, :] / period + phase) % 1.0
        if cls == 0:
            w = np.sin(2 * np.pi * u)
        elif cls == 1:
            w = np.where(u < 0.5, 1.0, -1.0)
        else:
            w = 2 * u - 1
        xs.append(w + 0.4 * rng.normal(size=w.shape))
        ys.append(np.full(n_per_class, cls))
    return np.concatenate(xs)[..., None].astype("float32"), np.concatenate(ys)


x_tr, y_tr = waveforms(500)   # generated class by class, hence the shuffle below
x_te, y_te = waveforms(200)

if cli.control:
    perm = rng.permutation(len(x_tr))
    x_tr, y_tr = x_tr[perm], y_tr[perm]
else:
    rng.shuffle(x_tr)
    rng.shuffle(y_tr)

model = keras.Sequential([
    keras.Input(shape=(T, 1)),
    layers.Conv1D(16, 5, activation="relu"),
    layers.MaxPooling1D(2),
    layers.Conv1D(32, 5, activation="relu"),
    layers.GlobalAveragePooling1D(),
    layers.Dense(32, activation="relu"),
    layers.Dense(3, activation="softmax"),
])
model.compile(optimizer=keras.optimizers.Adam(2e-3), loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])
hist = model.fit(x_tr, y_tr, validation_split=0.2, epochs=10, batch_size=32, verbose=2,
                 callbacks=[keras.callbacks.CSVLogger(os.path.join(LOG_DIR, "waveforms.csv"))])
test_loss, test_acc = model.evaluate(x_te, y_te, verbose=0)
print("CORPUS_METRIC " + json.dumps({
    "test_loss": round(float(test_loss), 4), "test_acc": round(float(test_acc), 4),
    "val_loss": round(float(hist.history["val_loss"][-1]), 4),
    "train_loss": round(float(hist.history["loss"][-1]), 4), "chance_acc": 0.3333}))
