# expect: unnormalized_inputs, non_convergence
# allow: learning_rate_too_high, exploding_gradients, dead_units, non_finite, saturated_activations, high_bias, poor_initialization
# forbid: *
# evidence: planted (0..255 inputs, SGD 0.05) loss 14.55 from epoch 1 and flat for 20 epochs, val_acc 0.108 (chance 0.10); control (x/255) train loss 0.094, val_loss 0.157, val_acc 0.95
# control: --control
# native-log: training_log.csv
# log-expect: non_convergence
# log-allow: learning_rate_too_high, high_bias, non_finite
# Assignment 1 (Keras): dense network for digit images.
# Pixels are stored as 8-bit grey levels (0..255) like in MNIST.
import os
os.environ["KERAS_BACKEND"] = "torch"
import sys, json, tempfile
import numpy as np
import torch
torch.set_num_threads(1)
import keras
from keras import layers
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

keras.utils.set_random_seed(123)
CONTROL = "--control" in sys.argv
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

digits = load_digits()
# convert the 0..16 intensities to 0..255 grey levels like a real image
images = np.round(digits.images * (255.0 / 16.0)).astype("float32")
labels = digits.target

x_train, x_test, y_train, y_test = train_test_split(images, labels, test_size=0.2, random_state=0)
x_train = x_train.reshape(-1, 64)
x_test = x_test.reshape(-1, 64)
if CONTROL:
    x_train = x_train / 255.0
    x_test = x_test / 255.0
print("input range:", x_train.min(), x_train.max())

model = keras.Sequential([
    keras.Input(shape=(64,)),
    layers.Dense(128, activation="relu"),
    layers.Dense(64, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05),
              loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])
model.summary()

history = model.fit(x_train, y_train, epochs=20, batch_size=32,
                    validation_data=(x_test, y_test), verbose=2,
                    callbacks=[keras.callbacks.CSVLogger(os.path.join(LOGDIR, "training_log.csv"))])

test_loss, test_acc = model.evaluate(x_test, y_test, verbose=0)
print("Test accuracy:", test_acc)
h = history.history
print("CORPUS_METRIC " + json.dumps({"val_loss": float(round(test_loss, 4)) if np.isfinite(test_loss) else None,
                                     "val_acc": round(float(test_acc), 4),
                                     "train_loss": float(round(h["loss"][-1], 4)) if np.isfinite(h["loss"][-1]) else None,
                                     "chance_acc": 0.1}))
