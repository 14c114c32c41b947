#!/usr/bin/env python
# coding: utf-8
# expect:
# allow:
# forbid: *
# evidence: 3-fold StratifiedKFold, Keras EarlyStopping(patience 5, restore_best_weights): each fold runs 10-19 epochs, val_loss is best at epoch 4/13/8 (0.10/0.059/0.082) and train loss keeps falling to 0.018-0.035 after it; restored models give OOF AUC 0.995, acc 0.977, logloss 0.081 (chance acc 0.627); keras_cv_history.csv holds all 3 folds stacked (fold column), so the last 5 rows of each fold show val_loss above its best
# native-log: keras_cv_history.csv
# log-expect:
# log-allow:

# # Breast cancer - Keras 3 (torch backend), 3-fold StratifiedKFold, wide MLP, EarlyStopping(restore_best_weights=True)
# train loss goes towards 0 in every fold while val_loss stops improving; the best epoch's weights are kept.
# all folds' pd.DataFrame(history.history) concatenated (fold column) into one csv.

# In[1]:

import os, json, random, tempfile, csv
os.environ["KERAS_BACKEND"] = "torch"
import numpy as np
import torch
torch.set_num_threads(1)
import keras
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import roc_auc_score, log_loss

random.seed(37); np.random.seed(37); torch.manual_seed(37); keras.utils.set_random_seed(37)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

# In[2]:

X, y = load_breast_cancer(return_X_y=True)
y = y.astype("float32")
oof = np.zeros(len(y)); all_hist = []

# In[3]:

for fold, (tr, va) in enumerate(StratifiedKFold(3, shuffle=True, random_state=37).split(X, y)):
    sc = StandardScaler().fit(X[tr]); Xtr = sc.transform(X[tr]).astype("float32"); Xva = sc.transform(X[va]).astype("float32")
    model = keras.Sequential([keras.Input((30,)), keras.layers.Dense(256, activation="relu"), keras.layers.Dense(128, activation="relu"),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy", metrics=["accuracy"])
    es = keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)
    h = model.fit(Xtr, y[tr], validation_data=(Xva, y[va]), epochs=60, batch_size=64, callbacks=[es], verbose=0)
    n = len(h.history["loss"])
    for i in range(n):
        all_hist.append({"fold": fold, "epoch": i, **{k: float(v[i]) for k, v in h.history.items()}})
    oof[va] = model.predict(Xva, verbose=0).ravel()
    best = int(np.argmin(h.history["val_loss"]))
    print(f"fold {fold}: {n} epochs, best epoch {best} val_loss {h.history['val_loss'][best]:.4f}, last train loss {h.history['loss'][-1]:.5f}")

# In[4]:

try:
    import pandas as pd
    pd.DataFrame(all_hist).to_csv(os.path.join(LOG_DIR, "keras_cv_history.csv"))
except ImportError:
    keys = list(all_hist[0].keys())
    with open(os.path.join(LOG_DIR, "keras_cv_history.csv"), "w", newline="") as f:
        w = csv.writer(f); w.writerow([""] + keys)
        for i, r in enumerate(all_hist):
            w.writerow([i] + [r[k] for k in keys])
auc = roc_auc_score(y, oof); acc = float(((oof > 0.5) == y).mean()); ll = log_loss(y, np.clip(oof, 1e-7, 1 - 1e-7))
print(f"OOF AUC {auc:.4f} acc {acc:.4f} logloss {ll:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_auc": round(auc, 4), "val_acc": round(acc, 4), "val_loss": round(float(ll), 4), "train_loss": round(all_hist[-1]["loss"], 5), "chance_acc": 0.627}))
