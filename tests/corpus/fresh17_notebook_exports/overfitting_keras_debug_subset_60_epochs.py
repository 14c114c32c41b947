#!/usr/bin/env python
# coding: utf-8
# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: 60 training images, 256-256 MLP, 60 epochs: train loss 0.002, train acc 1.0; val_loss min 0.671 then rises to 0.721, val acc 0.835; control (360 training images, only change) val_loss 0.172, val acc 0.961
# control: --control
# native-log: keras_history.json
# log-expect: overfitting
# log-allow: high_variance

# # Digits with a 'quick subset' of 60 images, trained for 60 epochs (Keras notebook export)
# The subset was meant for debugging and never swapped back for the full training set.

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
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)


# In[2]:


X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
N_SUBSET = 360 if "--control" in sys.argv else 60     # control: (most of) the full training set
X_train, y_train = X_train[:N_SUBSET], y_train[:N_SUBSET]
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train).astype("float32"), scaler.transform(X_test).astype("float32")
X_train.shape, X_test.shape


# In[3]:


model = keras.Sequential([
    keras.Input(shape=(64,)),
    layers.Dense(256, activation="relu"),
    layers.Dense(256, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.summary()


# In[4]:


history = model.fit(X_train, y_train, epochs=60, batch_size=60, validation_data=(X_test, y_test), verbose=2)


# In[5]:


with open(os.path.join(LOG_DIR, "keras_history.json"), "w") as f:
    json.dump(history.history, f)


# In[6]:


test_loss, test_acc = model.evaluate(X_test, y_test, verbose=0)
h = history.history
print(f"train acc {h['accuracy'][-1]:.3f}  test acc {test_acc:.3f}  best val acc {max(h['val_accuracy']):.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(test_loss, 4), "val_acc": round(test_acc, 4),
                                     "train_loss": round(h["loss"][-1], 4), "train_acc": round(h["accuracy"][-1], 4),
                                     "best_val_acc": round(max(h["val_accuracy"]), 4), "min_val_loss": round(min(h["val_loss"]), 4), "n_train": len(y_train), "chance_acc": 0.1}))
