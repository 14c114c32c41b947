"""Keras 3 (torch backend): churn prediction on synthetic customer features.

Planted: a debugging filter left in the data-prep code keeps only ~4% of the churners
(`keep = (y == 0) | (rng.random(n) < 0.04)`), so the label distribution the model trains and is
validated on is ~96/4. The net learns to say "no churn". --control drops the leftover filter
(classes ~50/50).
"""
# expect: class_imbalance
# allow: non_convergence, high_bias
# forbid: *
# evidence: control (no filter, 53/47) val_acc 0.82, balanced_acc 0.82, churn recall 0.86; planted (4.5% positives) val_acc 0.959 vs majority rate 0.960, balanced_acc 0.50, churn recall 0.00
# control: --control
# native-log: history.json
# log-expect:
# log-allow: class_imbalance, non_convergence
import os
import sys
import json
import tempfile

os.environ["KERAS_BACKEND"] = "torch"
import numpy as np
import torch

torch.set_num_threads(1)
import keras

CONTROL = "--control" in sys.argv
keras.utils.set_random_seed(5)
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOGDIR, exist_ok=True)

rng = np.random.default_rng(19)
n = 6000
tenure = rng.exponential(24, n)
monthly = rng.normal(70, 20, n)
tickets = rng.poisson(1.5, n)
contract = rng.integers(0, 3, n)
extra = rng.normal(size=(n, 6))
logit = (-0.06 * (tenure - 24) + 0.03 * (monthly - 70) + 0.5 * (tickets - 1.5)
         - 0.9 * (contract - 1) + 0.6 * extra[:, 0] * extra[:, 1] + 0.4 * extra[:, 2])
y = (logit + rng.logistic(size=n) * 0.6 > 0).astype("float32")
X = np.column_stack([tenure, monthly, tickets, contract, extra]).astype("float32")

if not CONTROL:
    keep = (y == 0) | (rng.random(n) < 0.04)  # leftover from debugging a memory issue
    X, y = X[keep], y[keep]

X = (X - X.mean(0)) / X.std(0)
idx = rng.permutation(len(y))
X, y = X[idx], y[idx]
split = int(0.75 * len(y))
Xtr, ytr, Xva, yva = X[:split], y[:split], X[split:], y[split:]
print(f"train size {len(ytr)}, positive rate {ytr.mean():.3f}")

model = keras.Sequential([
    keras.Input((X.shape[1],)),
    keras.layers.Dense(32, activation="relu"),
    keras.layers.Dense(16, activation="relu"),
    keras.layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
hist = model.fit(Xtr, ytr, validation_data=(Xva, yva), epochs=12, batch_size=64, verbose=0)
with open(os.path.join(LOGDIR, "history.json"), "w") as f:
    json.dump({k: [float(x) for x in v] for k, v in hist.history.items()}, f)

p = np.asarray(model.predict(Xva, verbose=0, batch_size=1000)).ravel() > 0.5
tpr = float((p & (yva == 1)).sum() / max(1, (yva == 1).sum()))
tnr = float((~p & (yva == 0)).sum() / max(1, (yva == 0).sum()))
vl, va = model.evaluate(Xva, yva, verbose=0, batch_size=1000)
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(float(hist.history["loss"][-1]), 4),
    "chance_acc": round(float(max(yva.mean(), 1 - yva.mean())), 4),
    "balanced_acc": round((tpr + tnr) / 2, 4), "minority_recall": round(tpr, 4)}))
