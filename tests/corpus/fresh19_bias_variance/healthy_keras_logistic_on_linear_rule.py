# Credit pre-screen: the bank's own rule is a linear score over 12 standardized features; the
# historical decisions we train on deviate from it 8% of the time (manual overrides, recorded in
# the audit), so Bayes error = 0.08. A single Dense(1, sigmoid) (= logistic regression) is the
# right-sized model here: small model, but no avoidable bias.
# expect:
# allow:
# forbid: *
# evidence: Bayes err 0.08 (override rate); train err 0.091, dev err 0.082, dev loss flat ~0.379 from the first epochs; a 1-layer model with no avoidable bias and no variance
# native-log: logreg_epochs.csv
# log-expect:
# log-allow:
import os
os.environ["KERAS_BACKEND"] = "torch"
import json
import tempfile

import numpy as np
import torch
import keras

torch.set_num_threads(1)
keras.utils.set_random_seed(0)
OVERRIDE_RATE = 0.08
N_FEAT = 12
score_w = np.random.default_rng(99).normal(size=N_FEAT)


def applications(n, seed):
    g = np.random.default_rng(seed)
    X = g.normal(size=(n, N_FEAT)).astype("float32")
    approve = (X @ score_w > 0.3).astype("float32")
    override = g.random(n) < OVERRIDE_RATE
    approve[override] = 1.0 - approve[override]
    return X, approve


X_tr, y_tr = applications(5000, 0)
X_dv, y_dv = applications(2000, 1)

clf = keras.Sequential([keras.Input((N_FEAT,)), keras.layers.Dense(1, activation="sigmoid")])
clf.compile(optimizer=keras.optimizers.Adam(0.02), loss="binary_crossentropy", metrics=["accuracy"])

out = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(out, exist_ok=True)


class RefError(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        logs["bayes_error"] = OVERRIDE_RATE


clf.fit(X_tr, y_tr, validation_data=(X_dv, y_dv), epochs=15, batch_size=128, verbose=2,
        callbacks=[RefError(), keras.callbacks.CSVLogger(os.path.join(out, "logreg_epochs.csv"))])

tr_loss, tr_acc = clf.evaluate(X_tr, y_tr, verbose=0)
dv_loss, dv_acc = clf.evaluate(X_dv, y_dv, verbose=0)
print(f"Bayes err {OVERRIDE_RATE}: train err {1 - tr_acc:.4f} dev err {1 - dv_acc:.4f}")
print("CORPUS_METRIC " + json.dumps({"train_err": round(1 - tr_acc, 4), "dev_err": round(1 - dv_acc, 4),
                                     "bayes_err": OVERRIDE_RATE, "train_loss": round(tr_loss, 4),
                                     "val_loss": round(dv_loss, 4), "val_acc": round(dv_acc, 4),
                                     "chance_acc": round(float(max(y_dv.mean(), 1 - y_dv.mean())), 4)}))
