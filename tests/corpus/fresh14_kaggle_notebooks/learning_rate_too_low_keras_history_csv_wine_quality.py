#!/usr/bin/env python
# coding: utf-8
# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted SGD(learning_rate=1e-5): train loss 1.0114 -> 1.0095 over 30+10 epochs, val_acc 0.444 (chance 0.40), val_loss 1.028; control (1e-2), same 40 epochs: loss 0.996 -> 0.249, val_acc 0.944, val_loss 0.256; history.csv = pd.DataFrame(history.history) concatenated over the two fit cells (no lr column)
# control: --control
# native-log: history.csv
# log-expect:
# log-allow: learning_rate_too_low, non_convergence, high_bias

# # Wine cultivar classification - Keras 3 (torch backend), SGD(learning_rate=1e-5)
# history saved with pd.DataFrame(history.history).to_csv.   --control: learning_rate=1e-2

# In[1]:

import os, sys, json, random, tempfile, csv
os.environ["KERAS_BACKEND"] = "torch"
import numpy as np
import torch
torch.set_num_threads(1)
import keras
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

LR = 1e-2 if "--control" in sys.argv else 1e-5
random.seed(5); np.random.seed(5); torch.manual_seed(5); keras.utils.set_random_seed(5)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

# In[2]:

X, y = load_wine(return_X_y=True)
X_train, X_valid, y_train, y_valid = train_test_split(X, y, test_size=0.3, stratify=y, random_state=5)
sc = StandardScaler().fit(X_train); X_train = sc.transform(X_train).astype("float32"); X_valid = sc.transform(X_valid).astype("float32")

# In[3]:

model = keras.Sequential([keras.Input((13,)), keras.layers.Dense(64, activation="relu"),
                          keras.layers.Dense(32, activation="relu"), keras.layers.Dense(3, activation="softmax")])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=LR), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(X_train, y_train, validation_data=(X_valid, y_valid), epochs=30, batch_size=32, verbose=0)

# In[4]:

# train some more
history2 = model.fit(X_train, y_train, validation_data=(X_valid, y_valid), epochs=10, batch_size=32, verbose=0)
hh = {k: history.history[k] + history2.history[k] for k in history.history}

# In[5]:

try:
    import pandas as pd
    hist_df = pd.DataFrame(hh); print(hist_df.tail()); hist_df.to_csv(os.path.join(LOG_DIR, "history.csv"))
except ImportError:
    keys = list(hh.keys())
    with open(os.path.join(LOG_DIR, "history.csv"), "w", newline="") as f:
        w = csv.writer(f); w.writerow([""] + keys)
        for i in range(len(hh[keys[0]])):
            w.writerow([i] + [hh[k][i] for k in keys])
    for i in range(len(hh["loss"]) - 5, len(hh["loss"])):
        print(i, {k: round(float(hh[k][i]), 4) for k in keys})
vl, va = model.evaluate(X_valid, y_valid, verbose=0)
w0 = model.layers[0].kernel
print(f"first loss {hh['loss'][0]:.4f} last loss {hh['loss'][-1]:.4f} | val_loss {vl:.4f} val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(float(vl), 4), "val_acc": round(float(va), 4), "train_loss": round(float(hh["loss"][-1]), 4), "first_train_loss": round(float(hh["loss"][0]), 4), "chance_acc": 0.4}))
