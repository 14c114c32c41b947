# expect: non_convergence
# allow: high_bias, overfitting
# forbid: *
# evidence: planted (labels shuffled independently of features) val_acc 0.345 (majority 0.378), val_loss 1.147 vs ln3 = 1.099, train loss only 1.106 -> 1.028 in 12 epochs; control (shared permutation) val_acc 0.938, val_loss 0.137
# control: --control
# native-log: churn/history.csv
# log-expect: non_convergence
# log-allow: high_bias, overfitting
"""Customer-churn style tabular classification (3 classes) with a Keras functional-API model that
has two inputs (numeric features and a categorical id through an Embedding). Before fit(), the
data-prep code shuffles the arrays 'to mix the CSV order' -- but calls rng.shuffle() on the
feature arrays and on the label array separately, so every row gets a random label. The loss
stays at ~ln(3) and the held-out accuracy at chance; nothing the optimiser does can help.
--control: one shared permutation for features and labels (the intended shuffle).
"""
import argparse
import json
import os
import tempfile
import warnings

os.environ["KERAS_BACKEND"] = "torch"
warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import keras  # noqa: E402


def make_data(n, rng, w):
    num = rng.standard_normal((n, 8)).astype("float32")
    cat = rng.integers(0, 12, size=n)
    logits = num @ w + np.where(cat % 3 == 0, 1.5, 0.0)[:, None] * np.array([1.0, -1.0, 0.0])
    y = (logits + 0.3 * rng.standard_normal(logits.shape)).argmax(1)
    return num, cat, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(1)
    keras.utils.set_random_seed(9)
    rng = np.random.default_rng(9)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="churn_")
    os.makedirs(os.path.join(log_dir, "churn"), exist_ok=True)

    w = rng.standard_normal((8, 3))
    num, cat, y = make_data(1600, rng, w)
    vnum, vcat, vy = make_data(600, rng, w)

    if a.control:
        perm = rng.permutation(len(y))
        num, cat, y = num[perm], cat[perm], y[perm]
    else:  # the bug: three independent in-place shuffles
        rng.shuffle(num)
        rng.shuffle(cat)
        rng.shuffle(y)

    in_num = keras.Input((8,), name="numeric")
    in_cat = keras.Input((1,), name="plan_id", dtype="int32")
    e = keras.layers.Flatten()(keras.layers.Embedding(12, 4)(in_cat))
    h = keras.layers.Concatenate()([in_num, e])
    h = keras.layers.Dense(32, activation="relu")(h)
    h = keras.layers.Dense(32, activation="relu")(h)
    out = keras.layers.Dense(3, activation="softmax")(h)
    model = keras.Model([in_num, in_cat], out)
    model.compile(optimizer=keras.optimizers.Adam(2e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit({"numeric": num, "plan_id": cat[:, None]}, y,
              validation_data=({"numeric": vnum, "plan_id": vcat[:, None]}, vy),
              epochs=12, batch_size=32, verbose=0,
              callbacks=[keras.callbacks.CSVLogger(os.path.join(log_dir, "churn", "history.csv"))])

    va_loss, va_acc = model.evaluate({"numeric": vnum, "plan_id": vcat[:, None]}, vy, verbose=0)
    tr_loss, tr_acc = model.evaluate({"numeric": num, "plan_id": cat[:, None]}, y, verbose=0)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(float(va_loss), 4), "val_acc": round(float(va_acc), 4),
        "train_loss": round(float(tr_loss), 4), "train_acc": round(float(tr_acc), 4),
        "chance_acc": round(float(np.bincount(vy).max() / len(vy)), 4), "chance_loss": round(float(np.log(3)), 4)}))


if __name__ == "__main__":
    main()
