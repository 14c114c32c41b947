"""Keras 3 (torch backend): a subclassed keras.Model with its own train_step (torch autograd + optimizer.apply) on the
digits, fit with a keras.callbacks.LearningRateScheduler meant to halve the lr every 3 epochs; the schedule was
written `lr * 2.0` instead of `lr * 0.5`, so Adam's lr grows from 2e-3 to 0.064 by epoch 15 and training blows up.
--control uses `lr * 0.5`. CSVLogger writes the keras log (with the lr column)."""
# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, non_finite, dead_units
# forbid: *
# evidence: planted (lr x2 every 3 epochs, 2e-3 -> 0.064): val_loss reaches 0.098 at epoch 10 then climbs to 1.56 (epoch 16), final val_acc 0.74 (best 0.976), train loss 0.53; control (x0.5): val_loss 0.101, val_acc 0.969, train loss 0.049
# control: --control
# native-log: keras_log.csv
# log-expect: learning_rate_too_high
# log-allow: non_convergence, non_finite, exploding_gradients
import os, sys, json, random, tempfile, warnings
os.environ["KERAS_BACKEND"] = "torch"
warnings.filterwarnings("ignore")
import numpy as np
import torch
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
import keras
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
keras.utils.set_random_seed(0)

FACTOR = 0.5 if "--control" in sys.argv else 2.0
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
X, y = load_digits(return_X_y=True)
X = ((X / 16.0 - 0.3) / 0.4).astype("float32")
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.d1 = keras.layers.Dense(128, activation="relu"); self.d2 = keras.layers.Dense(64, activation="relu")
        self.out = keras.layers.Dense(10)

    def call(self, x, training=False):
        return self.out(self.d2(self.d1(x)))

    def train_step(self, data):
        x, y, sw = keras.utils.unpack_x_y_sample_weight(data)
        y_pred = self(x, training=True)
        loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sw)
        self.zero_grad()
        loss.backward()
        tw = self.trainable_weights
        grads = [v.value.grad for v in tw]
        with torch.no_grad():
            self.optimizer.apply(grads, tw)
        for m in self.metrics:
            if m.name == "loss":
                m.update_state(loss)
            else:
                m.update_state(y, y_pred, sw)
        return {m.name: m.result() for m in self.metrics}


def schedule(epoch, lr):
    return lr * FACTOR if epoch > 0 and epoch % 3 == 0 else lr


model = Net()
model.compile(optimizer=keras.optimizers.Adam(2e-3), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
hist = model.fit(Xtr, ytr, validation_data=(Xva, yva), epochs=18, batch_size=64, verbose=0,
                 callbacks=[keras.callbacks.LearningRateScheduler(schedule), keras.callbacks.CSVLogger(os.path.join(LOG_DIR, "keras_log.csv"))])
h = hist.history
ev = model.evaluate(Xva, yva, verbose=0, return_dict=True)
print("val_loss per epoch:", [round(v, 3) for v in h["val_loss"]])
f = lambda v: v if np.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({"val_loss": f(round(ev["loss"], 4)), "val_acc": round(ev["accuracy"], 4), "best_val_acc": round(max(h["val_accuracy"]), 4),
                                     "train_loss": f(round(h["loss"][-1], 4)), "final_lr": float(h["learning_rate"][-1]), "chance_acc": 0.1}))
