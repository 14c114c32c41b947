# expect:
# allow:
# forbid: *
# evidence: site-B test_acc 0.681 before fine-tuning -> 0.920 after (Bayes 0.953, chance 0.25); fine-tune val_loss 0.561 -> 0.145, still its best at the end
# native-log: finetune_site_b.csv
# log-expect:
# log-allow:
"""Two-stage Keras 3 (torch backend) workflow: a Sequential classifier of machine states is
trained on plenty of sensor data from site A, then fine-tuned at a small learning rate
(Adam 1e-4) on a few hundred labelled windows from site B, whose sensors are calibrated a
bit differently. The fine-tuning run is the one logged (CSVLogger): it starts from a decent
loss and improves slowly and steadily, as fine-tuning should."""
import os

os.environ["KERAS_BACKEND"] = "torch"

import json  # noqa: E402
import tempfile  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(1)
import keras  # noqa: E402
from keras import layers  # noqa: E402

keras.utils.set_random_seed(61)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="keras_finetune_")
os.makedirs(LOG_DIR, exist_ok=True)

N_FEAT, N_STATES = 12, 4
rng = np.random.default_rng(61)
centers = rng.normal(0, 1.0, size=(N_STATES, N_FEAT))
# site B: gains and offsets of the sensors differ from site A
gain_b = rng.uniform(0.6, 1.4, size=N_FEAT)
offset_b = rng.normal(0, 1.0, size=N_FEAT)


def windows(n, site):
    y = rng.integers(0, N_STATES, size=n)
    x = centers[y] + rng.normal(size=(n, N_FEAT))
    if site == "B":
        x = x * gain_b + offset_b
    return x.astype("float32"), y


xa, ya = windows(3000, "A")
xb_tr, yb_tr = windows(400, "B")
xb_te, yb_te = windows(1000, "B")

model = keras.Sequential([
    keras.Input(shape=(N_FEAT,)),
    layers.Dense(64, activation="relu"),
    layers.Dense(64, activation="relu"),
    layers.Dense(N_STATES, activation="softmax"),
])
# stage 1: site A
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])
model.fit(xa, ya, epochs=5, batch_size=64, verbose=2)
_, acc_b_before = model.evaluate(xb_te, yb_te, verbose=0)

# stage 2: fine-tune on site B at a small learning rate
model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])
hist = model.fit(xb_tr, yb_tr, validation_split=0.25, epochs=24, batch_size=16, verbose=2,
                 callbacks=[keras.callbacks.CSVLogger(
                     os.path.join(LOG_DIR, "finetune_site_b.csv"))])
test_loss, test_acc = model.evaluate(xb_te, yb_te, verbose=0)
print("CORPUS_METRIC " + json.dumps({
    "test_loss": round(float(test_loss), 4), "test_acc": round(float(test_acc), 4),
    "test_acc_before_finetune": round(float(acc_b_before), 4),
    "val_loss": round(float(hist.history["val_loss"][-1]), 4),
    "train_loss": round(float(hist.history["loss"][-1]), 4), "chance_acc": 1 / N_STATES}))
