# expect:
# allow:
# forbid: *
# evidence: healthy: Adam 1e-3, dropout 0.5, 60 ep; train loss 1.14 -> 0.053 (dropout on), val_loss 0.81 -> 0.024 (below train the whole run), test acc 1.00 on 54 held-out wines (chance 0.40)
# native-log: wine_log.csv
# log-expect:
# log-allow:
# Keras homework: wine cultivar classification, small MLP with dropout.
# (Question 4: why is my validation loss LOWER than my training loss?  -> dropout is only active in training)
import os
os.environ["KERAS_BACKEND"] = "torch"
import json, tempfile
import numpy as np
import torch
torch.set_num_threads(1)
import keras
from keras import layers
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

keras.utils.set_random_seed(42)
out = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

wine = load_wine()
X_tr, X_te, y_tr, y_te = train_test_split(wine.data, wine.target, test_size=0.3, random_state=3, stratify=wine.target)
scaler = StandardScaler()
X_tr = scaler.fit_transform(X_tr)
X_te = scaler.transform(X_te)

y_tr_oh = keras.utils.to_categorical(y_tr, 3)
y_te_oh = keras.utils.to_categorical(y_te, 3)

model = keras.Sequential([
    layers.Input((13,)),
    layers.Dense(64, activation="relu"),
    layers.Dropout(0.5),
    layers.Dense(32, activation="relu"),
    layers.Dropout(0.5),
    layers.Dense(3, activation="softmax"),
])
model.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.Adam(1e-3), metrics=["accuracy"])

history = model.fit(X_tr, y_tr_oh, epochs=60, batch_size=16, validation_data=(X_te, y_te_oh), verbose=0,
                    callbacks=[keras.callbacks.CSVLogger(os.path.join(out, "wine_log.csv"))])
h = history.history
for ep in range(0, 60, 6):
    print(f"Epoch {ep+1}/60 - loss: {h['loss'][ep]:.4f} - accuracy: {h['accuracy'][ep]:.4f} - val_loss: {h['val_loss'][ep]:.4f} - val_accuracy: {h['val_accuracy'][ep]:.4f}")

loss, acc = model.evaluate(X_te, y_te_oh, verbose=0)
print("test loss / acc:", loss, acc)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(float(loss), 4), "val_acc": round(float(acc), 4),
                                     "train_loss": round(float(h["loss"][-1]), 4), "chance_acc": 0.4}))
