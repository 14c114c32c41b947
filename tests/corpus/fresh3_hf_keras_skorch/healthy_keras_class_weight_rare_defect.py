# expect:
# allow:
# forbid: *
# evidence: held-out (8% defects): AUC 0.970, defect recall 0.825, balanced acc 0.890, acc 0.945
# native-log: defects/log.csv
# log-expect:
# log-allow:
"""Skewed-but-handled classes: a sensor 'defect' detector where only ~8% of parts are defective.
Keras Sequential binary classifier trained with class_weight={0: ~0.54, 1: ~6.3} (inverse
frequency, computed from the training labels), plus an AUC metric. The minority class is
recognised (high recall and balanced accuracy on a held-out set with the same 8% rate).
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


def make_parts(n, rng, w):
    x = rng.standard_normal((n, 12)).astype("float32")
    s = x @ w + 0.8 * x[:, 0] * x[:, 1] + 0.3 * rng.standard_normal(n)
    y = (s > np.quantile(s, 0.92)).astype("float32")  # top 8% are defects
    return x, y


def main():
    torch.set_num_threads(1)
    keras.utils.set_random_seed(13)
    rng = np.random.default_rng(13)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="defects_")
    os.makedirs(os.path.join(log_dir, "defects"), exist_ok=True)

    w = rng.standard_normal(12) / np.sqrt(12)
    xtr, ytr = make_parts(2000, rng, w)
    xva, yva = make_parts(1000, rng, w)
    pos = ytr.mean()
    class_weight = {0: float(0.5 / (1 - pos)), 1: float(0.5 / pos)}

    model = keras.Sequential([keras.Input((12,)),
                              keras.layers.Dense(32, activation="relu"),
                              keras.layers.Dense(32, activation="relu"),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(2e-3), loss="binary_crossentropy",
                  metrics=["accuracy", keras.metrics.AUC(name="auc")])
    model.fit(xtr, ytr, validation_data=(xva, yva), epochs=20, batch_size=64, verbose=0,
              class_weight=class_weight,
              callbacks=[keras.callbacks.CSVLogger(os.path.join(log_dir, "defects", "log.csv"))])

    p = model.predict(xva, verbose=0).reshape(-1)
    pred = (p > 0.5).astype(float)
    rec1 = float((pred[yva == 1] == 1).mean())
    rec0 = float((pred[yva == 0] == 0).mean())
    va_loss, va_acc, va_auc = model.evaluate(xva, yva, verbose=0)
    print("CORPUS_METRIC " + json.dumps({
        "val_acc": round(float(va_acc), 4), "val_auc": round(float(va_auc), 4),
        "val_recall_defect": round(rec1, 4), "val_balanced_acc": round((rec0 + rec1) / 2, 4),
        "val_loss_unweighted": round(float(va_loss), 4), "pos_rate": round(float(yva.mean()), 4),
        "chance_balanced_acc": 0.5}))


if __name__ == "__main__":
    main()
