# expect: unnormalized_inputs
# allow: non_convergence, dead_units, saturated_activations, exploding_gradients, learning_rate_too_high
# forbid: *
# evidence: planted (raw features, std 1844) val_acc 0.73, val_loss 4.31, train_loss 3.92, layer-1 mean |activation| 365; control (standardised) val_acc 0.995, val_loss 0.012, layer-1 mean |activation| 0.31
# control: --control
# native-log: training.csv
# log-expect:
# log-allow: non_convergence, learning_rate_too_high
"""Keras 3 (torch backend). Sensor readings are fed to the network in raw units
(values in the thousands: x*1000); the StandardScaler step was forgotten. --control
standardises the features (fit on the training split)."""
import os
os.environ["KERAS_BACKEND"] = "torch"
import sys
import json
import tempfile

import numpy as np
import torch
import keras

torch.set_num_threads(1)
normalise = "--control" in sys.argv

logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="raw_units_")
os.makedirs(logdir, exist_ok=True)

rng = np.random.default_rng(0)
K, D = 4, 10
proto = rng.normal(0.0, 2.0, size=(K, D))


def readings(n):
    y = rng.integers(0, K, size=n)
    x = proto[y] + rng.normal(size=(n, D))
    return (x * 1000.0).astype("float32"), y       # raw units


x_train, y_train = readings(1000)
x_val, y_val = readings(400)
print("feature std (raw):", float(x_train.std()))
if normalise:
    m, s = x_train.mean(axis=0), x_train.std(axis=0)
    x_train, x_val = (x_train - m) / s, (x_val - m) / s

keras.utils.set_random_seed(0)
clf = keras.Sequential([
    keras.Input(shape=(D,)),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(K, activation="softmax"),
])
clf.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3),
            loss="sparse_categorical_crossentropy", metrics=["accuracy"])
clf.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=20, batch_size=64, verbose=0,
        callbacks=[keras.callbacks.CSVLogger(os.path.join(logdir, "training.csv"))])

# probe: scale of the first hidden layer's activations (O(1) for standardised inputs)
first = keras.Model(clf.inputs, clf.layers[0].output)
act_scale = float(np.abs(first.predict(x_val, verbose=0)).mean())

vl, va = clf.evaluate(x_val, y_val, verbose=0)
tl, ta = clf.evaluate(x_train, y_train, verbose=0)
print("CORPUS_METRIC " + json.dumps({"normalised": normalise, "val_loss": round(float(vl), 4),
                                     "val_acc": round(float(va), 4), "train_loss": round(float(tl), 4),
                                     "layer1_mean_abs_act": round(act_scale, 3), "chance_acc": 0.25}))
