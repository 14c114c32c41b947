# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: planted (hidden layer of 2 tanh units): train_acc 0.405, train_loss 1.476 - underfits its own training data; val_acc 0.400, val_loss 1.508; control (64 units) train_acc 0.999, val_acc 0.980, val_loss 0.081
# control: --control
# native-log: keras_verlauf.csv
# log-expect:
# log-allow: high_bias, non_convergence
"""Keras 3 (Torch-Backend) auf load_digits. Die versteckte Schicht hat nur 2 Neuronen
(eigentlich sollten es 64 sein) - das Modell ist viel zu klein und passt nicht einmal die Trainingsdaten an.
--control: 64 Neuronen. Keras-eigener CSVLogger + deutscher Fortschritts-Callback."""
import os
os.environ["KERAS_BACKEND"] = "torch"
import sys, json, random, tempfile
import numpy as np
import torch
torch.set_num_threads(1)
import keras
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

random.seed(20); np.random.seed(20); torch.manual_seed(20); keras.utils.set_random_seed(20)
KONTROLLE = "--control" in sys.argv
NEURONEN = 64 if KONTROLLE else 2
ordner = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(ordner, exist_ok=True)

X, y = load_digits(return_X_y=True)
X_tr, X_val, y_tr, y_val = train_test_split(X, y, test_size=0.25, random_state=20, stratify=y)
sk = StandardScaler().fit(X_tr); X_tr = sk.transform(X_tr).astype("float32"); X_val = sk.transform(X_val).astype("float32")

class DeutscheAusgabe(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        l = logs or {}
        print(f"Epoche {epoch+1}/20 - Verlust: {l['loss']:.4f} - Genauigkeit: {l['accuracy']:.4f} - val_loss: {l['val_loss']:.4f} - Val-Genauigkeit: {l['val_accuracy']:.4f}")

modell = keras.Sequential([keras.Input(shape=(64,)), keras.layers.Dense(NEURONEN, activation="tanh"), keras.layers.Dense(10, activation="softmax")])
modell.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
verlauf = modell.fit(X_tr, y_tr, validation_data=(X_val, y_val), epochs=20, batch_size=64, verbose=0,
                     callbacks=[keras.callbacks.CSVLogger(os.path.join(ordner, "keras_verlauf.csv")), DeutscheAusgabe()])
h = verlauf.history
tr_verlust, tr_genau = modell.evaluate(X_tr, y_tr, verbose=0)
print(f"Endgültig auf Trainingsdaten: Verlust {tr_verlust:.4f}, Genauigkeit {tr_genau:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(h["val_loss"][-1], 4), "val_acc": round(h["val_accuracy"][-1], 4), "train_loss": round(tr_verlust, 4), "train_acc": round(tr_genau, 4), "chance_acc": 0.1}))
