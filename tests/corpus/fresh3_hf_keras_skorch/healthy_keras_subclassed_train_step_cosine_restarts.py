# expect:
# allow:
# forbid: *
# evidence: val_acc 0.988, val_loss 0.036 (chance 0.18); train loss jumps at restarts (epochs 6, 12: 0.054 -> 0.106, 0.048 -> 0.085) and recovers to 0.044
# native-log: restarts/log.csv
# log-expect:
# log-allow:
"""Subclassed keras.Model with a hand-written train_step (torch backend: zero_grad, backward,
global-norm gradient clipping at 1.0, optimizer.apply) and a LearningRateScheduler implementing
cosine annealing with warm restarts (cycle 6 epochs, peak 0.05 for SGD+momentum). Each restart
kicks the lr back to its peak, so the training loss jumps up a little at epochs 6 and 12 and then
recovers below its previous level; validation accuracy ends high. Task: 6-class 'ring' data
(class = angular sector of a noisy 2-D ring embedded in 16-d).
"""
import json
import math
import os
import tempfile
import warnings

os.environ["KERAS_BACKEND"] = "torch"
warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import keras  # noqa: E402


class ClippedMLP(keras.Model):
    def __init__(self, n_cls, clip=1.0):
        super().__init__()
        self.d1 = keras.layers.Dense(64, activation="relu")
        self.d2 = keras.layers.Dense(64, activation="relu")
        self.out = keras.layers.Dense(n_cls)
        self.clip = clip

    def call(self, x, training=False):
        return self.out(self.d2(self.d1(x)))

    def train_step(self, data):
        x, y = data
        self.zero_grad()
        y_pred = self(x, training=True)
        loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
        loss.backward()
        weights = self.trainable_weights
        grads = [w.value.grad for w in weights]
        torch.nn.utils.clip_grad_norm_([w.value for w in weights], self.clip)
        with torch.no_grad():
            self.optimizer.apply(grads, weights)
        for m in self.metrics:
            if m.name == "loss":
                m.update_state(loss)
            else:
                m.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


def make_ring(n, rng, proj):
    ang = rng.uniform(0, 2 * np.pi, n)
    r = 1 + 0.1 * rng.standard_normal(n)
    pts = np.stack([r * np.cos(ang), r * np.sin(ang)], 1)
    y = np.floor(ang / (2 * np.pi / 6)).astype(int) % 6
    x = np.tanh(pts @ proj) + 0.05 * rng.standard_normal((n, 16))
    return x.astype("float32"), y


def sgdr(epoch, lr=None, peak=0.05, cycle=6):
    t = epoch % cycle
    return float(1e-3 + 0.5 * (peak - 1e-3) * (1 + math.cos(math.pi * t / cycle)))


def main():
    torch.set_num_threads(1)
    keras.utils.set_random_seed(12)
    rng = np.random.default_rng(12)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="restarts_")
    os.makedirs(os.path.join(log_dir, "restarts"), exist_ok=True)

    proj = rng.standard_normal((2, 16))
    xtr, ytr = make_ring(1500, rng, proj)
    xva, yva = make_ring(600, rng, proj)

    model = ClippedMLP(6)
    model.compile(optimizer=keras.optimizers.SGD(0.05, momentum=0.9),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    model.fit(xtr, ytr, validation_data=(xva, yva), epochs=18, batch_size=32, verbose=0,
              callbacks=[keras.callbacks.LearningRateScheduler(sgdr),
                         keras.callbacks.CSVLogger(os.path.join(log_dir, "restarts", "log.csv"))])

    va_loss, va_acc = model.evaluate(xva, yva, verbose=0)
    tr_loss, tr_acc = model.evaluate(xtr, ytr, verbose=0)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(float(va_loss), 4), "val_acc": round(float(va_acc), 4),
        "train_loss": round(float(tr_loss), 4), "train_acc": round(float(tr_acc), 4),
        "chance_acc": round(float(np.bincount(yva).max() / len(yva)), 4)}))


if __name__ == "__main__":
    main()
