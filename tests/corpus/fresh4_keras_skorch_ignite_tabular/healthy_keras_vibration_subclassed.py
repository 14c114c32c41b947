# expect:
# allow:
# forbid: *
# evidence: 4 bearing conditions from 128-sample vibration snippets, subclassed Conv1D model: val_acc 0.973 (chance 0.25), val_loss 0.124 ~ train_loss 0.101
# native-log: vibration_log.csv
# log-expect:
# log-allow:
"""Bearing condition (healthy / inner race / outer race / imbalance) from 128-sample vibration snippets.

Subclassed keras.Model with Conv1D blocks; torch backend.
"""
import os
os.environ.setdefault("KERAS_BACKEND", "torch")
import json
import tempfile

import numpy as np
import torch
import keras
from keras import layers

torch.set_num_threads(1)
SEED = 77
keras.utils.set_random_seed(SEED)
LOGS = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
FS, L = 2000.0, 128


class BearingNet(keras.Model):
    def __init__(self, n_classes=4, **kw):
        super().__init__(**kw)
        self.conv_a = layers.Conv1D(16, 9, padding="same", activation="relu")
        self.pool_a = layers.MaxPooling1D(2)
        self.conv_b = layers.Conv1D(32, 5, padding="same", activation="relu")
        self.gap = layers.GlobalAveragePooling1D()
        self.drop = layers.Dropout(0.1)
        self.cls = layers.Dense(n_classes, activation="softmax")

    def call(self, x, training=False):
        x = self.pool_a(self.conv_a(x))
        x = self.gap(self.conv_b(x))
        return self.cls(self.drop(x, training=training))


def snippet(state, rng):
    t = np.arange(L) / FS
    shaft = rng.uniform(24, 30)
    x = 0.5 * np.sin(2 * np.pi * shaft * t + rng.uniform(0, 6))
    if state == 1:   # inner race: impulses at ~5.4x shaft, amplitude modulated
        period = int(FS / (5.4 * shaft) * 8) // 8 or 1
        imp = np.zeros(L); imp[rng.integers(0, 6)::max(period // 2, 3)] = 1.0
        x += np.convolve(imp, np.exp(-np.arange(12) / 2.0) * np.sin(np.arange(12) * 1.9), "same") * 1.2
    elif state == 2:  # outer race: regular impulses, no modulation, different resonance
        imp = np.zeros(L); imp[rng.integers(0, 10)::11] = 1.0
        x += np.convolve(imp, np.exp(-np.arange(12) / 3.0) * np.sin(np.arange(12) * 0.9), "same")
    elif state == 3:  # imbalance: strong 1x component
        x += 1.2 * np.sin(2 * np.pi * shaft * t + rng.uniform(0, 6))
    x += rng.normal(0, 0.3, L)
    return x


rng = np.random.default_rng(SEED)
y = rng.integers(0, 4, 1500)
X = np.stack([snippet(s, rng) for s in y])[..., None].astype("float32")
X /= X[:1200].std()
x_tr, y_tr, x_va, y_va = X[:1200], y[:1200], X[1200:], y[1200:]

model = BearingNet()
model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_tr, y_tr, validation_data=(x_va, y_va), epochs=12, batch_size=48, verbose=0,
          callbacks=[keras.callbacks.CSVLogger(os.path.join(LOGS, "vibration_log.csv")),
                     keras.callbacks.ReduceLROnPlateau("val_loss", factor=0.5, patience=2, min_lr=1e-4),
                     keras.callbacks.EarlyStopping("val_loss", patience=4, restore_best_weights=True)])
tr_loss, tr_acc = model.evaluate(x_tr, y_tr, verbose=0)
va_loss, va_acc = model.evaluate(x_va, y_va, verbose=0)
print(f"train {tr_loss:.3f}/{tr_acc:.3f}  val {va_loss:.3f}/{va_acc:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(va_loss, 4), "val_acc": round(va_acc, 4), "train_loss": round(tr_loss, 4),
                                      "train_acc": round(tr_acc, 4), "chance_acc": 0.25}))
