# expect:
# allow:
# forbid: *
# evidence: residual subclassed regressor, AdamW + cosine decay: val_mse 0.076 vs target var 0.95 (R2 ~0.92), train_mse 0.050, val loss decreasing to the end
# native-log: history.csv
# log-expect:
# log-allow:
"""Keras 3 (torch backend) subclassed model (residual MLP block) for regression on a smooth
8-d function, standardised inputs and targets, AdamW + cosine decay schedule, validation_data,
CSVLogger. Metric: held-out MSE vs the target variance."""
import os
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
keras.utils.set_random_seed(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="kreg_")
rng = np.random.default_rng(1)
D = 8


def f(x):
    return np.sin(2 * x[:, 0]) + x[:, 1] * x[:, 2] - 0.5 * x[:, 3] ** 2 + 0.3 * x[:, 4:].sum(1)


def sample(n):
    x = rng.uniform(-1.5, 1.5, size=(n, D)).astype("float32")
    return x, (f(x) + 0.1 * rng.normal(size=n)).astype("float32")


x_tr, y_tr = sample(2000)
x_va, y_va = sample(500)
mx, sx, my, sy = x_tr.mean(0), x_tr.std(0), y_tr.mean(), y_tr.std()
x_tr, x_va = (x_tr - mx) / sx, (x_va - mx) / sx
y_tr, y_va = (y_tr - my) / sy, (y_va - my) / sy


class ResBlock(layers.Layer):
    def __init__(self, width, **kw):
        super().__init__(**kw)
        self.d1 = layers.Dense(width, activation="relu")
        self.d2 = layers.Dense(width)
        self.norm = layers.LayerNormalization()

    def call(self, x):
        return self.norm(x + self.d2(self.d1(x)))


class Regressor(keras.Model):
    def __init__(self, width=64, **kw):
        super().__init__(**kw)
        self.inp = layers.Dense(width, activation="relu")
        self.blocks = [ResBlock(width), ResBlock(width)]
        self.out = layers.Dense(1)

    def call(self, x):
        h = self.inp(x)
        for b in self.blocks:
            h = b(h)
        return self.out(h)


EPOCHS, BS = 12, 32
steps = EPOCHS * int(np.ceil(len(x_tr) / BS))
sched = keras.optimizers.schedules.CosineDecay(2e-3, decay_steps=steps, warmup_target=None)
model = Regressor()
model.compile(optimizer=keras.optimizers.AdamW(sched, weight_decay=1e-4), loss="mse", metrics=["mae"])
model.fit(x_tr, y_tr, validation_data=(x_va, y_va), epochs=EPOCHS, batch_size=BS, verbose=0,
          callbacks=[keras.callbacks.CSVLogger(os.path.join(LOG_DIR, "history.csv"))])
val_mse = float(np.mean((model.predict(x_va, verbose=0)[:, 0] - y_va) ** 2))
train_mse = float(np.mean((model.predict(x_tr, verbose=0)[:, 0] - y_tr) ** 2))
print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 4), "train_mse": round(train_mse, 4),
                                     "target_var": round(float(y_va.var()), 4),
                                     "noise_var": round(float(0.01 / sy ** 2), 4)}))
