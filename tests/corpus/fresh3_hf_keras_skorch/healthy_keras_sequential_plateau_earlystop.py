# expect:
# allow:
# forbid: *
# evidence: test_acc 0.872, test_loss 0.325 (chance 0.21); early-stopped after 15 epochs with best weights restored; train_acc 0.909
# native-log: keras_seq/training_log.csv
# log-expect:
# log-allow:
"""Keras 3 (torch backend) Sequential MLP on a 5-class tabular problem (overlapping Gaussian
clusters with class-dependent spread in 10-d, features standardised; Bayes accuracy < 1). Adam 3e-3, dropout,
ReduceLROnPlateau(val_loss, factor 0.5, patience 3) and EarlyStopping(val_loss, patience 6,
restore_best_weights=True), CSVLogger. The lr is halved a few times near the end and training
stops once val_loss has stopped improving -- textbook healthy run.
"""
import json
import os
import tempfile
import warnings

os.environ["KERAS_BACKEND"] = "torch"
warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import keras  # noqa: E402


def make_data(n, rng, centers):
    y = rng.integers(0, 5, size=n)
    r = rng.standard_normal((n, 10))
    # class-dependent scale makes the boundaries curved (quadratic), clusters overlap a little
    x = centers[y] + r * (0.6 + 0.3 * (y[:, None] % 2))
    return x.astype("float32"), y


def main():
    torch.set_num_threads(1)
    keras.utils.set_random_seed(7)
    rng = np.random.default_rng(7)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="kseq_")
    os.makedirs(os.path.join(log_dir, "keras_seq"), exist_ok=True)

    centers = rng.standard_normal((5, 10)) * 0.7
    x, y = make_data(1500, rng, centers)
    xte, yte = make_data(1000, rng, centers)
    mu, sd = x.mean(0), x.std(0)
    x, xte = (x - mu) / sd, (xte - mu) / sd

    model = keras.Sequential([
        keras.Input((10,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dropout(0.1),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(5, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    cbs = [keras.callbacks.CSVLogger(os.path.join(log_dir, "keras_seq", "training_log.csv")),
           keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=3, min_lr=1e-5),
           keras.callbacks.EarlyStopping(monitor="val_loss", patience=6, restore_best_weights=True)]
    model.fit(x, y, validation_split=0.2, epochs=40, batch_size=64, callbacks=cbs, verbose=0)

    te_loss, te_acc = model.evaluate(xte, yte, verbose=0)
    tr_loss, tr_acc = model.evaluate(x, y, verbose=0)
    print("CORPUS_METRIC " + json.dumps({
        "test_loss": round(te_loss, 4), "test_acc": round(te_acc, 4), "train_loss": round(tr_loss, 4),
        "train_acc": round(tr_acc, 4), "chance_acc": round(float(np.bincount(yte).max() / len(yte)), 4)}))


if __name__ == "__main__":
    main()
