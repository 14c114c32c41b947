"""Keras 3 (torch backend): subclassed keras.Model with a custom train_step, fit on a skewed defect-detection table
(12% positives, features standardised) with class_weight={0: 1, 1: ~3.7}, ReduceLROnPlateau, and
EarlyStopping(restore_best_weights=True) after a long max_epochs, so training continues past the best val epoch and the
best weights are restored. CSVLogger into $CORPUS_LOG_DIR."""
# expect:
# allow:
# forbid: *
# evidence: 12% positives (majority 0.876): restored best epoch 9 of 17: val AUC 0.926, balanced acc 0.851, val_acc 0.941, val_loss 0.194; class-weighted train loss 0.251 sits above val loss (weighting, not a problem)
# native-log: keras_log.csv
# log-expect:
# log-allow:
import os, json, random, tempfile, warnings
os.environ["KERAS_BACKEND"] = "torch"
warnings.filterwarnings("ignore")
import numpy as np
import torch
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
import keras
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.metrics import balanced_accuracy_score, roc_auc_score
keras.utils.set_random_seed(0)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
X, y = make_classification(n_samples=2500, n_features=12, n_informative=6, weights=[0.88, 0.12], flip_y=0.01, class_sep=1.0, random_state=3)
X = X.astype("float32"); y = y.astype("float32")
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0); Xtr = (Xtr - mu) / sd; Xva = (Xva - mu) / sd
cw = {0: 1.0, 1: float((ytr == 0).sum() / (ytr == 1).sum()) / 2}


class Det(keras.Model):
    def __init__(self):
        super().__init__()
        self.a = keras.layers.Dense(64, activation="relu"); self.b = keras.layers.Dense(32, activation="relu"); self.o = keras.layers.Dense(1, activation="sigmoid")

    def call(self, x, training=False):
        return self.o(self.b(self.a(x)))

    def train_step(self, data):
        x, y, sw = keras.utils.unpack_x_y_sample_weight(data)
        y_pred = self(x, training=True)
        loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sw)
        self.zero_grad(); loss.backward()
        tw = self.trainable_weights
        with torch.no_grad():
            self.optimizer.apply([v.value.grad for v in tw], tw)
        for m in self.metrics:
            m.update_state(loss) if m.name == "loss" else m.update_state(y, y_pred, sw)
        return {m.name: m.result() for m in self.metrics}


model = Det()
model.compile(optimizer=keras.optimizers.Adam(2e-3), loss="binary_crossentropy", metrics=["accuracy"])
hist = model.fit(Xtr, ytr, validation_data=(Xva, yva), epochs=40, batch_size=64, verbose=0, class_weight=cw,
                 callbacks=[keras.callbacks.ReduceLROnPlateau(factor=0.3, patience=3), keras.callbacks.EarlyStopping(patience=8, restore_best_weights=True),
                            keras.callbacks.CSVLogger(os.path.join(LOG_DIR, "keras_log.csv"))])
h = hist.history
p = np.asarray(model.predict(Xva, verbose=0)).reshape(-1)
ev = model.evaluate(Xva, yva, verbose=0, return_dict=True)
print("epochs run:", len(h["loss"]), "best val_loss epoch:", int(np.argmin(h["val_loss"])) + 1)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(ev["loss"], 4), "val_acc": round(ev["accuracy"], 4), "val_balanced_acc": round(float(balanced_accuracy_score(yva, p > 0.5)), 4),
                                     "val_auc": round(float(roc_auc_score(yva, p)), 4), "train_loss": round(h["loss"][-1], 4), "majority_acc": round(float(1 - yva.mean()), 4)}))
