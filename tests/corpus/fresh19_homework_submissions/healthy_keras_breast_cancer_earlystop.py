# expect:
# allow: overfitting
# forbid: *
# evidence: healthy: Adam, EarlyStopping(patience 8, restore_best_weights) stops at ep25 after the val_loss minimum 0.068 (ep~17; small rise to 0.079 is what triggers the stop, hence overfitting allowed); restored model test loss 0.057, test acc 0.974 on 114 held-out (majority 0.63)
# native-log: bc_history.csv
# log-expect:
# log-allow: overfitting
# Keras assignment: breast cancer diagnosis, EarlyStopping(restore_best_weights=True) like in the tutorial
import os
os.environ["KERAS_BACKEND"] = "torch"
import json
import tempfile
import torch
torch.set_num_threads(1)
import keras
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

keras.utils.set_random_seed(2)
LOG = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

data = load_breast_cancer()
X_train, X_test, y_train, y_test = train_test_split(data.data, data.target, test_size=0.2, random_state=10, stratify=data.target)
X_train, X_valid, y_train, y_valid = train_test_split(X_train, y_train, test_size=0.2, random_state=10, stratify=y_train)
norm = StandardScaler()
X_train = norm.fit_transform(X_train)
X_valid = norm.transform(X_valid)
X_test = norm.transform(X_test)

inputs = keras.Input(shape=(30,))
x = keras.layers.Dense(32, activation="relu")(inputs)
x = keras.layers.Dense(16, activation="relu")(x)
outputs = keras.layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs, name="bc_classifier")
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])

callbacks = [
    keras.callbacks.EarlyStopping(monitor="val_loss", patience=8, restore_best_weights=True),
    keras.callbacks.CSVLogger(os.path.join(LOG, "bc_history.csv")),
]
hist = model.fit(X_train, y_train, validation_data=(X_valid, y_valid), epochs=100, batch_size=16,
                 callbacks=callbacks, verbose=0)
for i, (l, vl, a, va) in enumerate(zip(hist.history["loss"], hist.history["val_loss"], hist.history["accuracy"], hist.history["val_accuracy"])):
    if i % 5 == 0 or i == len(hist.history["loss"]) - 1:
        print(f"Epoch {i+1} - loss: {l:.4f} - accuracy: {a:.4f} - val_loss: {vl:.4f} - val_accuracy: {va:.4f}")

test_loss, test_acc = model.evaluate(X_test, y_test, verbose=0)
print("stopped after", len(hist.history["loss"]), "epochs; test acc", test_acc)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(float(test_loss), 4), "val_acc": round(float(test_acc), 4),
                                     "train_loss": round(float(hist.history["loss"][-1]), 4),
                                     "chance_acc": round(float(y_test.mean()), 4)}))
