# expect:
# allow:
# forbid: *
# evidence: val_acc 1.000 (majority 0.23), val_loss 1.13 -> 0.024 (falls nearly every epoch), train_loss 0.0086
# native-log: training.csv
# log-expect:
# log-allow:
# Keras 3 on the torch backend: MLP with dropout, RMSprop, 6 classes from a linear teacher
# (points kept only with a margin from the class boundaries), validation_split=0.2.
import os
os.environ["KERAS_BACKEND"] = "torch"
import json, tempfile
import numpy as np
import torch
import keras
from keras import layers

torch.set_num_threads(1)
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="kdrop_")
os.makedirs(logdir, exist_ok=True)

rng = np.random.default_rng(123)
W = rng.normal(size=(16, 6))
X = rng.normal(size=(4000, 16))
scores = np.sort(X @ W, axis=1)
X = X[scores[:, -1] - scores[:, -2] > 1.0][:1800].astype("float32")
y = np.argmax(X @ W, axis=1)
print("kept", len(X), "points; class counts", np.bincount(y).tolist())

keras.utils.set_random_seed(123)
model = keras.Sequential([
    layers.Input((16,)),
    layers.Dense(128, activation="relu"),
    layers.Dropout(0.2),
    layers.Dense(64, activation="relu"),
    layers.Dense(6, activation="softmax"),
], name="dropout_mlp")
model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
              loss="sparse_categorical_crossentropy", metrics=["accuracy"])
h = model.fit(X, y, validation_split=0.2, epochs=20, batch_size=64, verbose=0,
              callbacks=[keras.callbacks.CSVLogger(os.path.join(logdir, "training.csv"))]).history
print("val_loss", " ".join(f"{v:.3f}" for v in h["val_loss"]))
n_val = int(len(X) * 0.2)
tl, ta = model.evaluate(X[:-n_val], y[:-n_val], verbose=0)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(h["val_loss"][-1], 4), "val_acc": round(h["val_accuracy"][-1], 4),
                                     "train_loss": round(float(tl), 4), "train_acc": round(float(ta), 4),
                                     "chance_acc": round(float(np.bincount(y).max() / len(y)), 4)}))
