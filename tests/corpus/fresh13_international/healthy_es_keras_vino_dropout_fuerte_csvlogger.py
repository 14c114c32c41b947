# expect:
# allow:
# forbid: *
# evidence: healthy look-alike: dropout 0.5 keeps train loss above val loss (final 0.142 vs 0.030; epoch 20 0.288 vs 0.099); val_acc 1.00 (0.978 at epoch 20); majority 0.40
# native-log: historial_keras.csv
# log-expect:
# log-allow:
"""Keras 3 (backend torch) en load_wine (vinos, 3 clases). Dropout fuerte (0.5): la pérdida de entrenamiento queda POR ENCIMA
de la de validación, es lo normal con dropout. CSVLogger propio de Keras + un callback que imprime en español."""
import os
os.environ["KERAS_BACKEND"] = "torch"
import sys, json, random, tempfile
import numpy as np
import torch
torch.set_num_threads(1)
import keras
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

random.seed(10); np.random.seed(10); torch.manual_seed(10); keras.utils.set_random_seed(10)
carpeta = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(carpeta, exist_ok=True)

X, y = load_wine(return_X_y=True)
X_ent, X_val, y_ent, y_val = train_test_split(X, y, test_size=0.25, random_state=10, stratify=y)
esc = StandardScaler().fit(X_ent); X_ent = esc.transform(X_ent).astype("float32"); X_val = esc.transform(X_val).astype("float32")

class ImprimirEnEspanol(keras.callbacks.Callback):
    def on_epoch_end(self, epoca, registros=None):
        r = registros or {}
        print(f"Época {epoca+1:2d} — pérdida: {r['loss']:.4f} — exactitud: {100*r['accuracy']:.1f} % — "
              f"pérdida_val: {r['val_loss']:.4f} — exactitud_val: {100*r['val_accuracy']:.1f} %")

modelo = keras.Sequential([
    keras.Input(shape=(13,)),
    keras.layers.Dense(64, activation="relu"), keras.layers.Dropout(0.5),
    keras.layers.Dense(32, activation="relu"), keras.layers.Dropout(0.5),
    keras.layers.Dense(3, activation="softmax")])
modelo.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
historia = modelo.fit(X_ent, y_ent, validation_data=(X_val, y_val), epochs=40, batch_size=16, verbose=0,
                      callbacks=[keras.callbacks.CSVLogger(os.path.join(carpeta, "historial_keras.csv")), ImprimirEnEspanol()])
h = historia.history
print("Entrenamiento terminado.")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(h["val_loss"][-1], 4), "val_acc": round(h["val_accuracy"][-1], 4), "train_loss": round(h["loss"][-1], 4), "chance_acc": 0.40}))
