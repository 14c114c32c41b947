# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, non_finite, dead_units, saturated_activations
# forbid: *
# evidence: planted (SGD lr=20) val_loss 4.59 (oscillating 3.8-7.1, far above ln3=1.10), val_acc 0.68; control (lr=0.05) val_loss 0.123, val_acc 0.975
# control: --control
# native-log: training.csv
# log-expect: learning_rate_too_high
# log-allow: non_convergence, non_finite, exploding_gradients
"""Keras functional model, SGD with learning_rate=20 (meant 0.05). Linear-teacher
labels (3 classes) on standardised 12-D inputs."""
import argparse
import json
import os
import tempfile

os.environ["KERAS_BACKEND"] = "torch"
import numpy as np  # noqa: E402
import torch  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402


def teacher_data(n, seed):
    g = np.random.default_rng(seed)
    w = np.random.default_rng(99).normal(size=(12, 3))
    x = g.normal(size=(n, 12)).astype("float32")
    y = np.argmax(x @ w, axis=1)
    return x, y


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--control", action="store_true")
    p.add_argument("--epochs", type=int, default=20)
    args = p.parse_args()
    torch.set_num_threads(1)
    lr = 0.05 if args.control else 20.0

    logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    os.makedirs(logdir, exist_ok=True)

    x_tr, y_tr = teacher_data(1200, 1)
    x_va, y_va = teacher_data(400, 2)
    chance = float(np.bincount(y_va).max() / len(y_va))

    keras.utils.set_random_seed(1)
    inp = keras.Input(shape=(12,), name="features")
    h = layers.Dense(64, activation="tanh")(inp)
    h = layers.Dense(64, activation="tanh")(h)
    out = layers.Dense(3, activation="softmax")(h)
    model = keras.Model(inp, out)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_tr, y_tr, validation_data=(x_va, y_va), epochs=args.epochs, batch_size=64, verbose=0,
              callbacks=[keras.callbacks.CSVLogger(os.path.join(logdir, "training.csv"))])

    vl, va = model.evaluate(x_va, y_va, verbose=0)
    tl, ta = model.evaluate(x_tr, y_tr, verbose=0)
    print(open(os.path.join(logdir, "training.csv")).read())
    print("CORPUS_METRIC " + json.dumps({"lr": lr, "val_loss": float(vl), "val_acc": round(float(va), 4),
                                         "train_loss": float(tl), "majority_acc": round(chance, 4)}))


if __name__ == "__main__":
    main()
