# expect:
# allow: class_imbalance
# forbid: *
# evidence: 15% positives handled with class_weight: test balanced acc 0.931, positive recall 0.964, acc 0.907 vs majority 0.863, val AUC ~0.98
# native-log: history.csv
# log-expect:
# log-allow: class_imbalance
"""Keras 3 (torch backend) Functional model on a skewed binary problem (about 15% positives, e.g.
fraud): the practitioner knows it and passes class_weight (inverse frequency) to fit, monitors AUC
and recall, and uses EarlyStopping on val AUC. Held-out: balanced accuracy and positive recall well
above the majority-class baseline."""
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
keras.utils.set_random_seed(7)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="kcw_")
rng = np.random.default_rng(7)
D = 16
w_true = rng.normal(size=D)


def sample(n):
    x = rng.normal(size=(n, D)).astype("float32")
    score = x @ w_true / np.sqrt(D) * 2.5 + 0.8 * np.sin(2 * x[:, 0]) + 0.2 * rng.normal(size=n)
    return x, (score > 1.9).astype("float32")


x_tr, y_tr = sample(3000)
x_va, y_va = sample(1000)
pos = y_tr.mean()
class_weight = {0: 0.5 / (1 - pos), 1: 0.5 / pos}

inp = keras.Input(shape=(D,))
h = layers.Dense(64, activation="relu")(inp)
h = layers.Dropout(0.1)(h)
h = layers.Dense(32, activation="relu")(h)
out = layers.Dense(1, activation="sigmoid")(h)
model = keras.Model(inp, out)
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy",
              metrics=["accuracy", keras.metrics.AUC(name="auc"), keras.metrics.Recall(name="recall")])
model.fit(x_tr, y_tr, validation_data=(x_va, y_va), epochs=15, batch_size=64, verbose=0,
          class_weight=class_weight,
          callbacks=[keras.callbacks.EarlyStopping(monitor="val_auc", mode="max", patience=4, restore_best_weights=True),
                     keras.callbacks.CSVLogger(os.path.join(LOG_DIR, "history.csv"))])
p = model.predict(x_va, verbose=0)[:, 0]
pred = (p > 0.5).astype("float32")
rec_pos = float((pred[y_va == 1] == 1).mean())
rec_neg = float((pred[y_va == 0] == 0).mean())
val_loss = float(-np.mean(y_va * np.log(p + 1e-7) + (1 - y_va) * np.log(1 - p + 1e-7)))
print(f"positives: train {pos:.3f}, test {y_va.mean():.3f}; class_weight {class_weight}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(float((pred == y_va).mean()), 4),
                                     "val_balanced_acc": round((rec_pos + rec_neg) / 2, 4),
                                     "val_recall_pos": round(rec_pos, 4),
                                     "majority_rate": round(float(1 - y_va.mean()), 4)}))
