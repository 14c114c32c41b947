# expect:
# allow:
# forbid: *
# evidence: healthy; val_acc 0.968 (chance 0.25), val_loss 0.10, train_loss 0.028
# native-log: cnn_training.csv
# log-expect:
# log-allow:
# Keras 3 on the torch backend: small Conv2D net on synthetic 10x10 "blob position" images
# (4 classes = which quadrant holds the bright blob, plus noise). Adam, CSVLogger, EarlyStopping.
import os, json, tempfile
os.environ["KERAS_BACKEND"] = "torch"
import numpy as np
import torch; torch.set_num_threads(1)
import keras
keras.utils.set_random_seed(12)
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(LOGDIR, exist_ok=True)

def quadrant_images(n, rs):
    y = rs.randint(0, 4, n)
    img = rs.normal(0, 0.5, (n, 10, 10, 1)).astype("float32")
    for i in range(n):
        r0 = (y[i] // 2) * 5 + rs.randint(0, 3); c0 = (y[i] % 2) * 5 + rs.randint(0, 3)
        img[i, r0:r0 + 2, c0:c0 + 2, 0] += 1.2
    return img, y
rs = np.random.RandomState(12)
xtr, ytr = quadrant_images(1200, rs); xva, yva = quadrant_images(400, rs)

inp = keras.Input((10, 10, 1))
h = keras.layers.Conv2D(8, 3, padding="same", activation="relu")(inp)
h = keras.layers.MaxPooling2D()(h)
h = keras.layers.Conv2D(16, 3, padding="same", activation="relu")(h)
h = keras.layers.Flatten()(h)
out = keras.layers.Dense(4, activation="softmax")(h)
model = keras.Model(inp, out)
model.compile(keras.optimizers.Adam(3e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(xtr, ytr, validation_data=(xva, yva), batch_size=64, epochs=12, verbose=0,
          callbacks=[keras.callbacks.CSVLogger(os.path.join(LOGDIR, "cnn_training.csv")),
                     keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True)])
vl, va = model.evaluate(xva, yva, verbose=0); tl, _ = model.evaluate(xtr, ytr, verbose=0)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.25}))
