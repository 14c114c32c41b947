"""Keras 3 (torch backend): a subclassed keras.Model with residual blocks for tabular regression.

AdamW with decoupled weight decay and a CosineDecay schedule with linear warm-up; the training
History goes to JSON. Target: smooth nonlinear function of 8 inputs plus Gaussian noise.
"""
# expect:
# allow:
# forbid: *
# evidence: held-out val_mse 0.117 against target variance 1.72 (R^2 0.93; noise floor 0.04), train_loss 0.088
# native-log: fit_history.json
# log-expect:
# log-allow:
import os
import sys
import json
import tempfile

os.environ["KERAS_BACKEND"] = "torch"
import numpy as np
import torch

torch.set_num_threads(1)
import keras
from keras import layers, ops

keras.utils.set_random_seed(2024)
LOGS = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOGS, exist_ok=True)

rng = np.random.default_rng(5)
N = 4000
X = rng.uniform(-2, 2, size=(N, 8)).astype("float32")
y = (np.sin(X[:, 0]) * X[:, 1] + 0.5 * X[:, 2] ** 2 - X[:, 3] * X[:, 4] * 0.3
     + np.cos(1.5 * X[:, 5]) + 0.2 * rng.normal(size=N)).astype("float32")
y = (y - y[:3000].mean()).astype("float32")
X_tr, y_tr, X_va, y_va = X[:3000], y[:3000], X[3000:], y[3000:]


class ResBlock(layers.Layer):
    def __init__(self, width, **kw):
        super().__init__(**kw)
        self.d1 = layers.Dense(width, activation="gelu")
        self.d2 = layers.Dense(width)
        self.norm = layers.LayerNormalization()

    def call(self, x):
        return self.norm(x + self.d2(self.d1(x)))


class Regressor(keras.Model):
    def __init__(self, width=64, depth=2):
        super().__init__()
        self.stem = layers.Dense(width)
        self.blocks = [ResBlock(width) for _ in range(depth)]
        self.head = layers.Dense(1)

    def call(self, x):
        h = self.stem(x)
        for b in self.blocks:
            h = b(h)
        return ops.squeeze(self.head(h), -1)


EPOCHS, BS = 16, 128
steps = EPOCHS * (len(X_tr) // BS + 1)
sched = keras.optimizers.schedules.CosineDecay(
    initial_learning_rate=1e-4, decay_steps=steps - 50, alpha=0.02,
    warmup_target=4e-3, warmup_steps=50,
)
model = Regressor()
model.compile(optimizer=keras.optimizers.AdamW(learning_rate=sched, weight_decay=1e-4),
              loss="mse", metrics=["mae"])
h = model.fit(X_tr, y_tr, validation_data=(X_va, y_va), epochs=EPOCHS, batch_size=BS, verbose=0)
json.dump({k: [float(v) for v in vs] for k, vs in h.history.items()},
          open(os.path.join(LOGS, "fit_history.json"), "w"))
for e in range(0, EPOCHS, 5):
    print(f"epoch {e}: loss={h.history['loss'][e]:.4f} val_loss={h.history['val_loss'][e]:.4f}")

pred = np.asarray(model.predict(X_va, verbose=0, batch_size=1000))
val_mse = float(np.mean((pred - y_va) ** 2))
print("CORPUS_METRIC " + json.dumps({
    "val_mse": round(val_mse, 4), "val_loss": round(val_mse, 4),
    "train_loss": round(float(h.history["loss"][-1]), 4),
    "target_var": round(float(y_va.var()), 4), "r2": round(1 - val_mse / float(y_va.var()), 4),
}))
