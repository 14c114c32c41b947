# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (Adam lr=1e-6) val_mse 1.30 (target variance 1.51; train loss 1.304 -> 1.287 over 20 epochs); control (lr=1e-3) val_mse 0.083
# control: --control
# native-log: training.csv
# log-expect: learning_rate_too_low
# log-allow: non_convergence, high_bias
# Keras 3 / torch backend. A regression MLP trained with Adam(learning_rate=1e-6);
# the intended value was 1e-3 (--control).
import os
import sys
import json
import tempfile

os.environ["KERAS_BACKEND"] = "torch"
import numpy as np
import torch
import keras

torch.set_num_threads(1)
CONTROL = "--control" in sys.argv
LR = 1e-3 if CONTROL else 1e-6
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(logdir, exist_ok=True)

# y = smooth function of 8 standardised inputs + small noise
rs = np.random.RandomState(5)
X = rs.randn(1500, 8).astype("float32")
y = (np.sin(X[:, 0]) + 0.5 * X[:, 1] * X[:, 2] - 0.8 * X[:, 3] + 0.3 * X[:, 4] ** 2
     + 0.1 * rs.randn(1500)).astype("float32")
Xtr, ytr, Xva, yva = X[:1100], y[:1100], X[1100:], y[1100:]

keras.utils.set_random_seed(0)
net = keras.Sequential([
    keras.Input((8,)),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(1),
])
net.compile(optimizer=keras.optimizers.Adam(learning_rate=LR), loss="mse")
net.fit(Xtr, ytr, validation_data=(Xva, yva), epochs=20, batch_size=50, verbose=0,
        callbacks=[keras.callbacks.CSVLogger(os.path.join(logdir, "training.csv"))])

val_mse = float(net.evaluate(Xva, yva, verbose=0))
train_mse = float(net.evaluate(Xtr, ytr, verbose=0))
print("CORPUS_METRIC " + json.dumps({"lr": LR, "val_mse": round(val_mse, 4), "train_mse": round(train_mse, 4),
                                     "target_var": round(float(yva.var()), 4), "noise_var": 0.01}))
