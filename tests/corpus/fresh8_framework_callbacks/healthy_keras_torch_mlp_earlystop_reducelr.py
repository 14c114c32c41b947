# expect:
# allow:
# forbid: *
# evidence: healthy; val_acc 0.964 (chance 0.5), val_loss 0.085, train_loss 0.028 (best weights restored)
# native-log: keras_mlp_log.csv
# log-expect:
# log-allow:
# Keras 3 (torch backend) MLP, smallish batches (bs=32), EarlyStopping(restore_best_weights) +
# ReduceLROnPlateau; keras.callbacks.CSVLogger is the native log.
import os, sys, json, tempfile
os.environ["KERAS_BACKEND"] = "torch"
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np
import torch
torch.set_num_threads(1)
import keras
from keras import layers

keras.utils.set_random_seed(2)
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(logdir, exist_ok=True)

rng = np.random.default_rng(2)
def two_moons_ish(n):
    t = rng.uniform(0, np.pi, n); lab = rng.integers(0, 2, n)
    x = np.where(lab[:, None] == 0, np.c_[np.cos(t), np.sin(t)], np.c_[1 - np.cos(t), 0.5 - np.sin(t)])
    x = x + rng.normal(0, 0.15, x.shape)
    extra = rng.normal(0, 1, (n, 6))  # nuisance features
    return np.c_[x, extra].astype("float32"), lab.astype("int64")
x_train, y_train = two_moons_ish(1200)
x_val, y_val = two_moons_ish(800)

model = keras.Sequential([keras.Input((8,)), layers.Dense(64, activation="relu"), layers.Dense(64, activation="relu"),
                          layers.Dropout(0.1), layers.Dense(2)])
model.compile(optimizer=keras.optimizers.Adam(5e-3), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])
cbs = [keras.callbacks.CSVLogger(os.path.join(logdir, "keras_mlp_log.csv")),
       keras.callbacks.EarlyStopping(monitor="val_loss", patience=4, restore_best_weights=True),
       keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=2, min_lr=1e-5)]
hist = model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=12, batch_size=32, callbacks=cbs, verbose=0)
vl, va = model.evaluate(x_val, y_val, verbose=0)
tl, ta = model.evaluate(x_train, y_train, verbose=0)
print("epochs run:", len(hist.history["loss"]))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.5}))
