# expect:
# allow:
# forbid: *
# evidence: 11.6% defaults, class_weight from label frequencies: val AUC 0.856 (AUC of the true generating logit 0.863), balanced acc 0.786, default recall 0.81 (an all-"repaid" model would have balanced acc 0.5)
# native-log: loan_default_log.csv
# log-expect:
# log-allow:
"""Loan default scoring, ~9% defaults, class_weight set from the label frequencies (Keras 3, torch backend)."""
import os
os.environ.setdefault("KERAS_BACKEND", "torch")
import json
import tempfile

import numpy as np
import torch
import keras

torch.set_num_threads(1)
keras.utils.set_random_seed(1234)
rng = np.random.default_rng(1234)

FIELDS = ["income_log", "debt_to_income", "credit_util", "n_open_lines", "months_employed", "late_payments_2y",
          "loan_amount_log", "term_60m", "home_owner", "inquiries_6m"]
N = 5000
X = rng.normal(size=(N, len(FIELDS)))
X[:, 7] = (rng.random(N) < 0.3) * 2.0 - 1.0
X[:, 8] = (rng.random(N) < 0.55) * 2.0 - 1.0
z = (-3.1 - 0.8 * X[:, 0] + 0.9 * X[:, 1] + 0.8 * np.maximum(X[:, 2], 0) ** 1.5 + 0.7 * X[:, 5] + 0.4 * X[:, 7]
     - 0.4 * X[:, 4] + 0.3 * X[:, 9] + 0.5 * X[:, 1] * X[:, 5])
y = (rng.random(N) < 1 / (1 + np.exp(-z))).astype("float32")
X = X.astype("float32")
X_train, y_train, X_val, y_val = X[:4000], y[:4000], X[4000:], y[4000:]

pos_rate = y_train.mean()
class_weight = {0: 0.5 / (1 - pos_rate), 1: 0.5 / pos_rate}

model = keras.Sequential([
    keras.Input((len(FIELDS),)),
    keras.layers.Dense(64, activation="relu", kernel_regularizer=keras.regularizers.l2(1e-4)),
    keras.layers.Dropout(0.2),
    keras.layers.Dense(32, activation="relu", kernel_regularizer=keras.regularizers.l2(1e-4)),
    keras.layers.Dense(1, activation="sigmoid"),
], name="default_scorer")
model.compile(optimizer=keras.optimizers.Adam(2e-3), loss="binary_crossentropy",
              metrics=[keras.metrics.AUC(name="auc"), keras.metrics.Recall(name="recall")])
log_file = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "loan_default_log.csv")
model.fit(X_train, y_train, validation_data=(X_val, y_val), class_weight=class_weight, epochs=12, batch_size=128, verbose=0,
          callbacks=[keras.callbacks.CSVLogger(log_file),
                     keras.callbacks.EarlyStopping(monitor="val_auc", mode="max", patience=4, restore_best_weights=True)])

p = model.predict(X_val, verbose=0).ravel()
pred = (p > 0.5).astype("float32")
tpr = float(pred[y_val == 1].mean())
tnr = float(1 - pred[y_val == 0].mean())
auc = float(keras.metrics.AUC()(y_val, p))
val_loss = float(keras.losses.binary_crossentropy(y_val[:, None], p[:, None]).mean())
print(f"default rate {pos_rate:.3f}; val AUC {auc:.3f}, balanced acc {(tpr + tnr) / 2:.3f} (recall {tpr:.2f}, specificity {tnr:.2f})")
print("CORPUS_METRIC " + json.dumps({"val_auc": round(auc, 4), "val_balanced_acc": round((tpr + tnr) / 2, 4),
                                      "val_recall": round(tpr, 4), "val_loss_unweighted": round(val_loss, 4),
                                      "val_acc": round(float((pred == y_val).mean()), 4),
                                      "chance_acc": round(float(1 - y_val.mean()), 4)}))
