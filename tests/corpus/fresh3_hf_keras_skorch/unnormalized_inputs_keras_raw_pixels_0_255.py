# expect: unnormalized_inputs
# allow: non_convergence, exploding_gradients, dead_units, high_bias, learning_rate_too_high, saturated_activations
# forbid: *
# evidence: planted (raw 0..255 pixels) val_acc 0.092, val_loss 14.6, frozen from epoch 0 (chance 0.10); probe: layer-1 pre-activation std 160, 28% of layer-2 units dead; control (x / 255) val_acc 0.998, val_loss 0.042, pre-activation std 0.46
# control: --control
# native-log: pixels/log.csv
# log-expect:
# log-allow: non_convergence, learning_rate_too_high, high_bias
"""8x8 grey-scale 'glyph' images (10 classes: a fixed random stroke template per class, random
brightness/contrast, pixel noise, 1-pixel shifts), stored as uint8 0..255 the way image files
are. The Keras Sequential MLP is fed the raw 0..255 pixel values -- the `/ 255.` step was
forgotten -- with a standard SGD+momentum lr=0.01 recipe that is fine for [0,1] inputs.
With inputs up to 255 the first-layer pre-activations have a std of ~160, the first SGD steps
are enormous, and the logits end up in the hundreds: the softmax outputs are exactly 0/1, Keras
clips the probability at 1e-7, so misclassified examples sit at loss ~16 with zero gradient and
training is frozen from the first epoch on (a saturated output layer; part of hidden layer 2 is
dead too -- both allowed as consequences; some would call the symptom an lr that is too high
for this input scale).
--control: the same pipeline with x / 255. (nothing else changed).
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


def make_images(n, rng, templates):
    y = rng.integers(0, 10, size=n)
    imgs = templates[y].copy()
    shift = rng.integers(-1, 2, size=(n, 2))
    for i in range(n):
        imgs[i] = np.roll(imgs[i], tuple(shift[i]), axis=(0, 1))
    contrast = rng.uniform(120, 230, size=(n, 1, 1))
    bright = rng.uniform(0, 25, size=(n, 1, 1))
    x = imgs * contrast + bright + rng.normal(0, 30, size=imgs.shape)
    return np.clip(x, 0, 255).astype("uint8").reshape(n, 64), y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(1)
    keras.utils.set_random_seed(8)
    rng = np.random.default_rng(8)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="pixels_")
    os.makedirs(os.path.join(log_dir, "pixels"), exist_ok=True)

    templates = (rng.random((10, 8, 8)) < 0.3).astype("float32")
    xtr, ytr = make_images(1500, rng, templates)
    xva, yva = make_images(600, rng, templates)
    xtr, xva = xtr.astype("float32"), xva.astype("float32")
    if a.control:
        xtr, xva = xtr / 255.0, xva / 255.0

    model = keras.Sequential([
        keras.Input((64,)),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.SGD(0.01, momentum=0.9),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(xtr, ytr, validation_data=(xva, yva), epochs=15, batch_size=32, verbose=0,
              callbacks=[keras.callbacks.CSVLogger(os.path.join(log_dir, "pixels", "log.csv"))])

    # probe: first-layer pre-activation scale, fraction of hidden units that never fire
    w, b = model.layers[0].get_weights()
    pre = xva @ w + b
    w2, b2 = model.layers[1].get_weights()
    pre2 = np.maximum(pre, 0) @ w2 + b2
    va_loss, va_acc = model.evaluate(xva, yva, verbose=0)
    tr_loss, tr_acc = model.evaluate(xtr, ytr, verbose=0)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(float(va_loss), 4), "val_acc": round(float(va_acc), 4),
        "train_loss": round(float(tr_loss), 4), "train_acc": round(float(tr_acc), 4),
        "input_max": float(xtr.max()), "l1_preact_std": round(float(np.nanstd(pre)), 2),
        "l1_dead_frac": round(float((pre.max(0) <= 0).mean()), 3),
        "l2_dead_frac": round(float((pre2.max(0) <= 0).mean()), 3), "chance_acc": 0.1}))


if __name__ == "__main__":
    main()
