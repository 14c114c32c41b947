"""Planted learning_rate_too_low: Keras 3 (torch backend) CNN on sklearn digits with SGD at lr 2e-5.

8x8 digit images scaled to [0, 1], a small Conv2D -> MaxPool -> Conv2D -> Dense network, SGD with
momentum 0.9, 15 epochs, keras.callbacks.CSVLogger into $CORPUS_LOG_DIR. The planted cause:
learning_rate=2e-5 (the intended 2e-2 lost three zeros), so the weights barely move; the loss
creeps down from ~2.3 and accuracy stays low. --control uses lr 2e-2.
"""
# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (lr 2e-5): val_loss 2.308 -> 2.301, val_acc 0.12 after 15 epochs, per-epoch |dW|/|W| 2.4e-4; control (lr 2e-2): val_loss 0.10, val_acc 0.98 (chance 0.10), |dW|/|W| 7e-3 even when converged
# control: --control
# native-log: digits_cnn_log.csv
# log-expect: non_convergence
# log-allow: learning_rate_too_low, high_bias
import os, sys, json, random, tempfile, warnings
os.environ["KERAS_BACKEND"] = "torch"
warnings.filterwarnings("ignore")
import numpy as np
import torch
torch.set_num_threads(1)
random.seed(9); np.random.seed(9); torch.manual_seed(9)
import keras
from keras import layers
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
keras.utils.set_random_seed(9)
CONTROL = "--control" in sys.argv
LR = 2e-2 if CONTROL else 2e-5

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="f11_kdig_")
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_digits(return_X_y=True)
X = (X / 16.0).astype("float32").reshape(-1, 8, 8, 1)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=9, stratify=y)

model = keras.Sequential([keras.Input((8, 8, 1)), layers.Conv2D(16, 3, padding="same", activation="relu"),
                          layers.MaxPooling2D(2), layers.Conv2D(32, 3, padding="same", activation="relu"),
                          layers.Flatten(), layers.Dense(64, activation="relu"), layers.Dense(10)])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=LR, momentum=0.9),
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])


class UpdateRatio(keras.callbacks.Callback):
    """Probe: relative size of one epoch's weight change, |W_end - W_start| / |W_start| (kernels only)."""
    def on_epoch_begin(self, epoch, logs=None):
        self.w0 = [w.detach().clone() for w in (v.value for v in self.model.trainable_variables) if w.ndim > 1]

    def on_epoch_end(self, epoch, logs=None):
        w1 = [w.detach() for w in (v.value for v in self.model.trainable_variables) if w.ndim > 1]
        self.ratios = [float((b - a).norm() / a.norm()) for a, b in zip(self.w0, w1)]


probe = UpdateRatio()
model.fit(Xtr, ytr, validation_data=(Xva, yva), epochs=15, batch_size=32, verbose=0,
          callbacks=[keras.callbacks.CSVLogger(os.path.join(LOG_DIR, "digits_cnn_log.csv")), probe])
vl, va = model.evaluate(Xva, yva, verbose=0)
tl, ta = model.evaluate(Xtr, ytr, verbose=0)
print("last-epoch |dW|/|W| per kernel:", [f"{r:.1e}" for r in probe.ratios])
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(ta, 4), "chance_acc": 0.1, "lr": LR,
                                     "mean_epoch_update_ratio": float(f"{np.mean(probe.ratios):.3g}")}))
