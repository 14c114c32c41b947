#!/usr/bin/env python
# coding: utf-8
# expect:
# allow:
# forbid: *
# evidence: batch_size 8 + dropout 0.3, Adam 3e-3, 16 epochs: per-epoch train loss is noisy (0.105 -> 0.118 -> 0.082 -> 0.109 over the last epochs) and stays above val_loss, which falls 0.80 -> 0.051; val_acc 0.982 (chance 0.40); keras_history.csv = pd.DataFrame(history.history)
# native-log: keras_history.csv
# log-expect:
# log-allow:

# # Wine - Keras 3 (torch backend), batch_size=8 (noisy per-epoch curves), Dropout 0.3, Adam 3e-3
# pd.DataFrame(history.history).to_csv("keras_history.csv")

# In[1]:

import os, json, random, tempfile, csv
os.environ["KERAS_BACKEND"] = "torch"
import numpy as np
import torch
torch.set_num_threads(1)
import keras
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

random.seed(9); np.random.seed(9); torch.manual_seed(9); keras.utils.set_random_seed(9)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

# In[2]:

X, y = load_wine(return_X_y=True)
X_train, X_valid, y_train, y_valid = train_test_split(X, y, test_size=0.3, stratify=y, random_state=9)
sc = StandardScaler().fit(X_train); X_train = sc.transform(X_train).astype("float32"); X_valid = sc.transform(X_valid).astype("float32")

# In[3]:

model = keras.Sequential([keras.Input((13,)), keras.layers.Dense(32, activation="relu"), keras.layers.Dropout(0.3),
                          keras.layers.Dense(16, activation="relu"), keras.layers.Dropout(0.3), keras.layers.Dense(3, activation="softmax")])
model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(X_train, y_train, validation_data=(X_valid, y_valid), epochs=16, batch_size=8, verbose=0)

# In[4]:

hh = history.history
try:
    import pandas as pd
    df = pd.DataFrame(hh); print(df.tail()); df.to_csv(os.path.join(LOG_DIR, "keras_history.csv"))
except ImportError:
    keys = list(hh.keys())
    with open(os.path.join(LOG_DIR, "keras_history.csv"), "w", newline="") as f:
        w = csv.writer(f); w.writerow([""] + keys)
        for i in range(len(hh[keys[0]])):
            w.writerow([i] + [hh[k][i] for k in keys])
    for i in range(len(hh["loss"]) - 5, len(hh["loss"])):
        print(i, {k: round(float(hh[k][i]), 4) for k in keys})
vl, va = model.evaluate(X_valid, y_valid, verbose=0)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(float(vl), 4), "val_acc": round(float(va), 4), "train_loss": round(float(hh["loss"][-1]), 4), "chance_acc": 0.4}))
