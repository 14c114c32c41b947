# expect: saturated_activations
# allow: poor_initialization, vanishing_gradients, non_convergence, high_bias, overfitting, high_variance
# forbid: *
# evidence: planted (RandomNormal stddev 1.0) val_acc 0.328 (majority 0.31), val_loss 7.08; probe: 67% / 80% / 81% of tanh activations in layers 1/2/3 have |h| > 0.99; train_acc 0.73 (memorised); control (glorot_uniform) val_acc 0.858, val_loss 0.363, saturated 0% / 0% / 0.5%
# control: --control
# native-log: tanh_mlp/log.csv
# log-expect:
# log-allow: non_convergence, high_bias, learning_rate_too_low, overfitting, high_variance
"""A tanh MLP (Keras Sequential, 3 hidden layers of 128) whose Dense layers were given
kernel_initializer=RandomNormal(stddev=1.0) -- 'standard normal weights' -- instead of the
default Glorot. With 40 standardised inputs and 128-wide layers the pre-activations have a std of
~6-11, so nearly every tanh unit sits at +-1 from the first batch, its derivative is ~0, and
the network barely learns anything that generalises: the saturated layers act like a fixed
random hash of the input, so the training accuracy creeps up (memorisation through the last
layer) while validation stays near chance -- which is why overfitting/high_variance are allowed
as honest side-effects. A probe reports the fraction of hidden activations with |h| > 0.99.
--control: the default glorot_uniform initializer (nothing else changed).
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


def make_data(n, rng, w1, w2):
    x = rng.standard_normal((n, 40)).astype("float32")
    y = (np.tanh(x @ w1) @ w2).argmax(1)
    return x, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(1)
    keras.utils.set_random_seed(10)
    rng = np.random.default_rng(10)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="tanh_")
    os.makedirs(os.path.join(log_dir, "tanh_mlp"), exist_ok=True)

    w1, w2 = rng.standard_normal((40, 16)) / np.sqrt(40), rng.standard_normal((16, 4))
    xtr, ytr = make_data(3000, rng, w1, w2)
    xva, yva = make_data(600, rng, w1, w2)

    init = "glorot_uniform" if a.control else keras.initializers.RandomNormal(stddev=1.0)
    hidden = [keras.layers.Dense(128, activation="tanh", kernel_initializer=init) for _ in range(3)]
    model = keras.Sequential([keras.Input((40,))] + hidden +
                             [keras.layers.Dense(4, activation="softmax", kernel_initializer=init)])
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(xtr, ytr, validation_data=(xva, yva), epochs=8, batch_size=64, verbose=0,
              callbacks=[keras.callbacks.CSVLogger(os.path.join(log_dir, "tanh_mlp", "log.csv"))])

    probe = keras.Model(model.inputs, [l.output for l in hidden])
    acts = [np.asarray(keras.ops.convert_to_numpy(h)) for h in probe.predict(xva, verbose=0)]
    sat = [round(float((np.abs(h) > 0.99).mean()), 3) for h in acts]
    va_loss, va_acc = model.evaluate(xva, yva, verbose=0)
    tr_loss, tr_acc = model.evaluate(xtr, ytr, verbose=0)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(float(va_loss), 4), "val_acc": round(float(va_acc), 4),
        "train_loss": round(float(tr_loss), 4), "train_acc": round(float(tr_acc), 4),
        "saturated_frac_per_layer": sat,
        "chance_acc": round(float(np.bincount(yva).max() / len(yva)), 4)}))


if __name__ == "__main__":
    main()
