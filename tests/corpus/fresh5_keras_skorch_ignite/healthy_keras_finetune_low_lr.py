"""Keras 3 (torch backend): pre-train a feature extractor, then fine-tune on a small target task.

Stage 1 trains an MLP on a large "source" task (8 classes). Stage 2 swaps the head for the
3-class target task (500 labelled rows, classes defined on the same latent factors), trains the
head with the body frozen, then unfreezes everything and fine-tunes at a low lr (2e-4) with
EarlyStopping. The fine-tuning stage is logged with CSVLogger; class_weight evens out a mild
60/25/15 skew in the target labels.
"""
# expect:
# allow: class_imbalance
# forbid: *
# evidence: target-task held-out val_acc 0.815 vs majority rate 0.585 (balanced via class_weight), train_acc 0.89; the fine-tuning log shows val_loss still easing down (0.41 -> 0.39) at lr 2e-4
# native-log: finetune.csv
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
from keras import layers

keras.utils.set_random_seed(314)
LOG = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG, exist_ok=True)

rs = np.random.default_rng(9)
D, K = 24, 6
mix = rs.normal(size=(K, D)) / np.sqrt(K)


def sample(n):
    z = rs.normal(size=(n, K))
    x = np.tanh(z @ mix * 1.5) + 0.15 * rs.normal(size=(n, D))
    return x.astype("float32"), z


# source task: 8 classes = signs of the first three latent factors
Xs, zs = sample(4000)
ys = ((zs[:, 0] > 0) * 4 + (zs[:, 1] > 0) * 2 + (zs[:, 2] > 0)).astype("int64")
# target task: 3 classes from a different combination of the same factors, skewed
Xt, zt = sample(1300)
s = zt[:, 0] + zt[:, 3]
yt = np.where(s < 0.35, 0, np.where(s < 1.45, 1, 2)).astype("int64")
Xt_tr, yt_tr, Xt_va, yt_va = Xt[:500], yt[:500], Xt[500:], yt[500:]

body = keras.Sequential([keras.Input((D,)), layers.Dense(96, activation="relu"),
                         layers.Dense(96, activation="relu")], name="body")
src = keras.Sequential([body, layers.Dense(8)])
src.compile(keras.optimizers.Adam(2e-3), keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=["accuracy"])
src.fit(Xs, ys, batch_size=128, epochs=8, verbose=0)
print("source acc", round(src.evaluate(Xs[:1000], ys[:1000], verbose=0)[1], 3))

tgt = keras.Sequential([body, layers.Dense(3)])
loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
counts = np.bincount(yt_tr, minlength=3)
cw = {c: float(len(yt_tr) / (3 * counts[c])) for c in range(3)}
print("target class counts", counts.tolist(), "class_weight", {k: round(v, 2) for k, v in cw.items()})

body.trainable = False
tgt.compile(keras.optimizers.Adam(3e-3), loss, metrics=["accuracy"])
tgt.fit(Xt_tr, yt_tr, batch_size=32, epochs=6, class_weight=cw, verbose=0)

body.trainable = True
tgt.compile(keras.optimizers.Adam(2e-4), loss, metrics=["accuracy"])
h = tgt.fit(Xt_tr, yt_tr, validation_data=(Xt_va, yt_va), batch_size=32, epochs=15, class_weight=cw,
            verbose=2, callbacks=[keras.callbacks.CSVLogger(os.path.join(LOG, "finetune.csv")),
                                  keras.callbacks.EarlyStopping(patience=4, restore_best_weights=True)])
vl, va = tgt.evaluate(Xt_va, yt_va, verbose=0, batch_size=800)
tl, ta = tgt.evaluate(Xt_tr, yt_tr, verbose=0, batch_size=500)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                     "train_loss": round(tl, 4), "train_acc": round(ta, 4),
                                     "chance_acc": round(float(np.bincount(yt_va).max() / len(yt_va)), 4)}))
