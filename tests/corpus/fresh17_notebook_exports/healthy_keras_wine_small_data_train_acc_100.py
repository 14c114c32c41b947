#!/usr/bin/env python
# coding: utf-8
# expect:
# allow:
# forbid: *
# evidence: Keras MLP on 124 wine rows, 30 epochs: train acc 1.000, test acc 1.000, val_loss 0.034 still falling (majority 0.40)
# native-log: keras_history.json
# log-expect:
# log-allow:

# # Wine classification with Keras (notebook export)
# 124 training rows: train accuracy reaches 100%, test accuracy stays at its best.

# In[1]:


import os
os.environ["KERAS_BACKEND"] = "torch"
import sys, json, random, tempfile
import numpy as np
import torch
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
import keras
from keras import layers
keras.utils.set_random_seed(0)
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)


# In[2]:


X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train).astype("float32"), scaler.transform(X_test).astype("float32")
X_train.shape, X_test.shape


# In[3]:


model = keras.Sequential([
    keras.Input(shape=(13,)),
    layers.Dense(64, activation="relu"),
    layers.Dense(32, activation="relu"),
    layers.Dense(3, activation="softmax"),
])
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.summary()


# In[4]:


history = model.fit(X_train, y_train, epochs=30, batch_size=16, validation_data=(X_test, y_test), verbose=2)


# In[5]:


with open(os.path.join(LOG_DIR, "keras_history.json"), "w") as f:
    json.dump(history.history, f)


# In[6]:


test_loss, test_acc = model.evaluate(X_test, y_test, verbose=0)
h = history.history
print(f"train acc {h['accuracy'][-1]:.3f}  test acc {test_acc:.3f}  best val acc {max(h['val_accuracy']):.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(test_loss, 4), "val_acc": round(test_acc, 4),
                                     "train_loss": round(h["loss"][-1], 4), "train_acc": round(h["accuracy"][-1], 4),
                                     "best_val_acc": round(max(h["val_accuracy"]), 4), "chance_acc": 0.4}))
