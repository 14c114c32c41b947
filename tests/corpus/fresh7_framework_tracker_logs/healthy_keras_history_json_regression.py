# expect:
# allow:
# forbid: *
# evidence: val_mse 0.062 of target variance 1.02 (R^2 0.94; the label noise floor is ~0.05), train_mse 0.049; converges within 2 epochs and stays flat at the floor while ReduceLROnPlateau halves the lr
# native-log: history.json
# log-expect:
# log-allow:
"""Healthy: Keras 3 (torch backend) regression with a Normalization layer adapted on the
training set, Adam lr 3e-3 with ReduceLROnPlateau, MSE loss + MAE metric; the user dumps
History.history to history.json (keys loss, mae, val_loss, val_mae, learning_rate). Target
is standardised log-price from area, rooms, age, distance, etc. Nothing planted."""
import os, sys, json, tempfile, warnings
os.environ["KERAS_BACKEND"] = "torch"
warnings.filterwarnings("ignore")
import numpy as np
import torch
torch.set_num_threads(1)
import keras
keras.utils.set_random_seed(2)
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

rng = np.random.default_rng(2)
def make(n):
    area = rng.lognormal(4.6, 0.35, n); rooms = np.clip(np.round(area / 28 + rng.normal(0, 0.7, n)), 1, 8)
    age = rng.uniform(0, 80, n); dist = rng.gamma(2.0, 4.0, n); floor = rng.integers(0, 12, n)
    logp = (0.9 * np.log(area) + 0.05 * rooms - 0.004 * age - 0.35 * np.log1p(dist)
            + 0.1 * np.sin(floor / 3.0) + 0.002 * age * np.log1p(dist) + rng.normal(0, 0.1, n))
    return np.stack([area, rooms, age, dist, floor], 1).astype("float32"), logp.astype("float32")
xtr, ytr = make(3000); xva, yva = make(800)
m, s = ytr.mean(), ytr.std(); ytr = (ytr - m) / s; yva = (yva - m) / s

norm = keras.layers.Normalization(); norm.adapt(xtr)
model = keras.Sequential([keras.Input((5,)), norm, keras.layers.Dense(64, activation="relu"),
                          keras.layers.Dense(64, activation="relu"), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="mse", metrics=["mae"])
h = model.fit(xtr, ytr, validation_data=(xva, yva), epochs=25, batch_size=64, verbose=0,
              callbacks=[keras.callbacks.ReduceLROnPlateau(patience=3, factor=0.5)])
with open(os.path.join(LOGDIR, "history.json"), "w") as f:
    json.dump({k: [float(v) for v in vs] for k, vs in h.history.items()}, f)
vl = model.evaluate(xva, yva, verbose=0)[0]; tl = model.evaluate(xtr, ytr, verbose=0)[0]
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 4), "train_mse": round(tl, 4), "target_var": round(float(yva.var()), 4)}))
