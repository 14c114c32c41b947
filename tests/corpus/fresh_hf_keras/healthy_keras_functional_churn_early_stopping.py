# expect:
# allow:
# forbid: *
# evidence: test_acc 0.818 vs Bayes 0.824 for these Bernoulli labels (chance 0.527); best val_loss 0.373 at epoch 10, early stop after 16 epochs, best weights restored
# native-log: churn_history.csv
# log-expect:
# log-allow:
"""Keras 3 (torch backend) functional model for customer churn with two inputs: standardised
numeric usage features and a plan id through an Embedding. validation_split=0.2, EarlyStopping
on val_loss with patience 6 and restore_best_weights, CSVLogger. The last epochs in the log are
the patience window (val_loss a bit above its best); the restored weights are the best ones."""
import os

os.environ["KERAS_BACKEND"] = "torch"

import json  # noqa: E402
import tempfile  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(1)
import keras  # noqa: E402
from keras import layers  # noqa: E402

keras.utils.set_random_seed(17)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="keras_churn_")
os.makedirs(LOG_DIR, exist_ok=True)

N_NUM, N_PLANS = 8, 12
rng = np.random.default_rng(17)
w_num = rng.normal(size=N_NUM)
plan_effect = rng.normal(0, 1.2, size=N_PLANS)


def customers(n):
    num = rng.normal(size=(n, N_NUM)).astype("float32")
    plan = rng.integers(0, N_PLANS, size=(n, 1))
    score = num @ w_num * 0.8 + plan_effect[plan[:, 0]] + 0.7 * num[:, 0] * num[:, 1]
    p = 1 / (1 + np.exp(-score))
    churn = (rng.random(n) < p).astype("float32")
    return num, plan, churn, p


num_tr, plan_tr, y_tr, _ = customers(2500)
num_te, plan_te, y_te, p_te = customers(1000)

num_in = keras.Input(shape=(N_NUM,), name="usage")
plan_in = keras.Input(shape=(1,), dtype="int32", name="plan")
plan_vec = layers.Flatten()(layers.Embedding(N_PLANS, 4)(plan_in))
h = layers.Concatenate()([num_in, plan_vec])
h = layers.Dense(48, activation="relu")(h)
h = layers.Dense(24, activation="relu")(h)
out = layers.Dense(1, activation="sigmoid")(h)
model = keras.Model([num_in, plan_in], out)
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy",
              metrics=["accuracy"])

csv_path = os.path.join(LOG_DIR, "churn_history.csv")
hist = model.fit(
    {"usage": num_tr, "plan": plan_tr}, y_tr,
    validation_split=0.2, epochs=80, batch_size=64, verbose=2,
    callbacks=[keras.callbacks.EarlyStopping(monitor="val_loss", patience=6,
                                             restore_best_weights=True),
               keras.callbacks.CSVLogger(csv_path)],
)
test_loss, test_acc = model.evaluate({"usage": num_te, "plan": plan_te}, y_te, verbose=0)
# labels are Bernoulli draws, so even the true probabilities only reach this accuracy
bayes_acc = float(np.mean(np.maximum(p_te, 1 - p_te)))
print("CORPUS_METRIC " + json.dumps({
    "test_loss": round(float(test_loss), 4), "test_acc": round(float(test_acc), 4),
    "best_val_loss": round(float(min(hist.history["val_loss"])), 4),
    "train_loss": round(float(hist.history["loss"][-1]), 4),
    "epochs_run": len(hist.history["loss"]), "bayes_acc": round(bayes_acc, 4),
    "chance_acc": round(float(max(y_te.mean(), 1 - y_te.mean())), 4)}))
