# expect:
# allow:
# forbid: *
# evidence: 4-class noisy 16x16 sprites, Sequential CNN with warm-up+cosine AdamW and label smoothing 0.1: val_acc 0.93 (chance 0.25), train_acc 0.95, val_loss 0.535 ~ train_loss 0.513
# native-log: history.json
# log-expect:
# log-allow:
# Tiny CNN that tells apart 16x16 sprites of four shapes (ring, box, plus, diagonal bar).
import os
os.environ.setdefault("KERAS_BACKEND", "torch")
import json, tempfile
import numpy as np
import torch
import keras
from keras import layers

torch.set_num_threads(1)
keras.utils.set_random_seed(31)
rng = np.random.default_rng(31)
S = 16
yy, xx = np.mgrid[0:S, 0:S]


def sprite(kind):
    cx, cy = rng.uniform(5, 11, 2)
    r = rng.uniform(3, 5)
    if kind == 0:    # ring
        d = np.hypot(xx - cx, yy - cy)
        img = (np.abs(d - r) < 1.0).astype(float)
    elif kind == 1:  # box outline
        m = np.maximum(np.abs(xx - cx), np.abs(yy - cy))
        img = (np.abs(m - r) < 0.8).astype(float)
    elif kind == 2:  # plus
        img = (((np.abs(xx - cx) < 1) & (np.abs(yy - cy) < r)) | ((np.abs(yy - cy) < 1) & (np.abs(xx - cx) < r))).astype(float)
    else:            # diagonal bar
        img = ((np.abs((xx - cx) - (yy - cy)) < 1.2) & (np.abs(xx - cx) < r)).astype(float)
    img = img * rng.uniform(0.6, 1.0) + rng.normal(0, 0.35, (S, S))
    return img


def dataset(n):
    labels = rng.integers(0, 4, n)
    imgs = np.stack([sprite(k) for k in labels])[..., None].astype("float32")
    return imgs, labels


x_train, y_train = dataset(1200)
x_val, y_val = dataset(400)

model = keras.Sequential([
    keras.Input((S, S, 1)),
    layers.Conv2D(8, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(16, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dropout(0.2),
    layers.Dense(64, activation="relu"),
    layers.Dense(4),
])
EPOCHS, BATCH = 12, 48
steps = EPOCHS * int(np.ceil(len(x_train) / BATCH))
schedule = keras.optimizers.schedules.CosineDecay(0.0, decay_steps=steps - 25, warmup_target=3e-3, warmup_steps=25)
model.compile(optimizer=keras.optimizers.AdamW(schedule, weight_decay=1e-4),
              loss=keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1),
              metrics=["accuracy"])
onehot = lambda y: keras.utils.to_categorical(y, 4)
hist = model.fit(x_train, onehot(y_train), validation_data=(x_val, onehot(y_val)), epochs=EPOCHS, batch_size=BATCH, verbose=0)

logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
with open(os.path.join(logdir, "history.json"), "w") as f:
    json.dump({k: [float(v) for v in vals] for k, vals in hist.history.items()}, f, indent=1)

h = hist.history
print({k: round(v[-1], 4) for k, v in h.items()})
print("CORPUS_METRIC " + json.dumps({"val_loss": round(h["val_loss"][-1], 4), "val_acc": round(h["val_accuracy"][-1], 4),
                                      "train_loss": round(h["loss"][-1], 4), "train_acc": round(h["accuracy"][-1], 4),
                                      "chance_acc": 0.25}))
