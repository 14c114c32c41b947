# expect: saturated_activations
# allow: poor_initialization, vanishing_gradients, non_convergence, high_bias, overfitting, high_variance
# forbid: *
# evidence: planted (RandomNormal stddev 2) 90% of tanh outputs beyond |0.99| in layers 2-4, val_mse 1.156 vs target var 1.382 (train_mse 0.371); control (glorot) val_mse 0.059, train_mse 0.049, saturation <=1.3%
# control: --control
# native-log: training.csv
# log-expect:
# log-allow: non_convergence, high_bias, overfitting, high_variance
"""Keras 3 (torch backend) 4-layer tanh MLP regressing a smooth function of 6 standardised features.
Planted: kernels initialised with RandomNormal(stddev=2.0) (someone 'made the weights bigger'), so the
tanh units sit at +-1. --control: the default glorot_uniform initialiser."""
import os, sys, json, tempfile, warnings
os.environ["KERAS_BACKEND"] = "torch"
warnings.filterwarnings("ignore")
import numpy as np
import torch
torch.set_num_threads(1)
import keras
from keras import layers

keras.utils.set_random_seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
rng = np.random.default_rng(0)
n = 2500
X = rng.normal(size=(n, 6)).astype("float32")
y = (np.sin(1.5 * X[:, 0]) + 0.5 * X[:, 1] * X[:, 2] - 0.7 * X[:, 3] + 0.3 * X[:, 4] ** 2 + 0.1 * rng.normal(size=n)).astype("float32")
Xtr, ytr, Xva, yva = X[:2000], y[:2000], X[2000:], y[2000:]
init = "glorot_uniform" if CONTROL else keras.initializers.RandomNormal(stddev=2.0, seed=0)
model = keras.Sequential([keras.Input((6,))] + [layers.Dense(128, activation="tanh", kernel_initializer=init) for _ in range(4)]
                         + [layers.Dense(1)])
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
model.fit(Xtr, ytr, validation_data=(Xva, yva), epochs=12, batch_size=64, verbose=0,
          callbacks=[keras.callbacks.CSVLogger(os.path.join(LOG_DIR, "training.csv"))])
pv = model.predict(Xva, verbose=0).ravel(); pt = model.predict(Xtr, verbose=0).ravel()
# probe: fraction of tanh outputs with |a| > 0.99, per hidden layer, on the training inputs
h = Xtr; sat = []
for lay in model.layers[:-1]:
    h = keras.ops.convert_to_numpy(lay(h)); sat.append(round(float((np.abs(h) > 0.99).mean()), 3))
print("CORPUS_METRIC " + json.dumps({"val_mse": round(float(((pv - yva) ** 2).mean()), 4), "train_mse": round(float(((pt - ytr) ** 2).mean()), 4),
                                     "target_var": round(float(yva.var()), 4), "saturated_frac_per_layer": sat}))
