# expect: dead_units
# allow: high_bias, non_convergence, vanishing_gradients, poor_initialization
# forbid: *
# evidence: planted (bias init -4): probe shows 100% of the 3x96 hidden ReLUs never fire on held-out data, test_acc 0.262 (chance 0.2), loss 1.59 ~ ln5; control (zero bias): 2% never fire, test_acc 0.880, test_loss 0.292
# control: --control
# native-log: sparse_mlp.csv
# log-expect:
# log-allow: non_convergence, high_bias
"""Keras 3 (torch backend) Sequential ReLU MLP on a 5-class problem (standardised inputs).
The author wanted "sparse" hidden codes and initialised every hidden bias to -4: most ReLUs
never fire, get no gradient and stay off. --control keeps the default zero bias init."""
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
parser.add_argument("--control", action="store_true", help="zero bias init (Keras default)")
cli = parser.parse_args()
BIAS_INIT = "zeros" if cli.control else keras.initializers.Constant(-4.0)

keras.utils.set_random_seed(47)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="keras_sparse_")
os.makedirs(LOG_DIR, exist_ok=True)

N_FEAT, N_CLS = 16, 5
rng = np.random.default_rng(47)
proj = rng.normal(size=(N_FEAT, N_CLS))


def samples(n):
    x = rng.normal(size=(n, N_FEAT)).astype("float32")
    z = x @ proj + 1.0 * np.tanh(x[:, :N_CLS] * x[:, N_CLS:2 * N_CLS])
    return x, z.argmax(1)


x_tr, y_tr = samples(2000)
x_te, y_te = samples(1000)

model = keras.Sequential([keras.Input(shape=(N_FEAT,))] + [
    layers.Dense(96, activation="relu", bias_initializer=BIAS_INIT, name=f"hidden{i}")
    for i in range(3)
] + [layers.Dense(N_CLS, activation="softmax")])
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])
hist = model.fit(x_tr, y_tr, validation_split=0.2, epochs=10, batch_size=32, verbose=2,
                 callbacks=[keras.callbacks.CSVLogger(os.path.join(LOG_DIR, "sparse_mlp.csv"))])
test_loss, test_acc = model.evaluate(x_te, y_te, verbose=0)

# probe: share of hidden units that never fire on any held-out sample
dead = {}
for i in range(3):
    acts = keras.Model(model.inputs, model.get_layer(f"hidden{i}").output).predict(x_te, verbose=0)
    dead[f"hidden{i}"] = round(float((np.asarray(acts).max(0) <= 0).mean()), 3)
print("never-active hidden units:", dead)
print("CORPUS_METRIC " + json.dumps({
    "test_loss": round(float(test_loss), 4), "test_acc": round(float(test_acc), 4),
    "val_loss": round(float(hist.history["val_loss"][-1]), 4),
    "train_loss": round(float(hist.history["loss"][-1]), 4),
    "dead_unit_frac": round(float(np.mean(list(dead.values()))), 3), "chance_acc": 0.2}))
