# expect:
# allow:
# forbid: *
# evidence: healthy; val_mse 0.045 vs target_var 3.03 (noise var 0.04), train_mse 0.040
# native-log: housing_like.csv
# log-expect:
# log-allow:
# Keras (torch backend) regression on a synthetic "housing" table: inputs standardised with a
# keras Normalization layer adapted on train data, MSE loss, ReduceLROnPlateau, CSVLogger.
import os, json, tempfile
os.environ["KERAS_BACKEND"] = "torch"
import numpy as np
import torch; torch.set_num_threads(1)
import keras
keras.utils.set_random_seed(19)
d = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(d, exist_ok=True)
rs = np.random.RandomState(19)
n = 1600
rooms = rs.randint(1, 8, n); area = rooms * 25 + rs.normal(0, 15, n); age = rs.uniform(0, 80, n); dist = rs.exponential(8, n)
price = 50 + 1.8 * area - 0.6 * age - 4 * np.log1p(dist) * 5 + 10 * (rooms > 4) + rs.normal(0, 12, n)
X = np.c_[rooms, area, age, dist].astype("float32"); y = ((price - 200) / 60).astype("float32")
Xtr, ytr, Xva, yva = X[:1200], y[:1200], X[1200:], y[1200:]
norm = keras.layers.Normalization(); norm.adapt(Xtr)
model = keras.Sequential([keras.Input((4,)), norm, keras.layers.Dense(32, activation="relu"), keras.layers.Dense(32, activation="relu"), keras.layers.Dense(1)])
model.compile(keras.optimizers.Adam(3e-3), "mse")
model.fit(Xtr, ytr, validation_data=(Xva, yva), epochs=15, batch_size=32, verbose=0,
          callbacks=[keras.callbacks.CSVLogger(os.path.join(d, "housing_like.csv")), keras.callbacks.ReduceLROnPlateau(patience=2, factor=0.5)])
print("CORPUS_METRIC " + json.dumps({"val_mse": round(float(model.evaluate(Xva, yva, verbose=0)), 4), "train_mse": round(float(model.evaluate(Xtr, ytr, verbose=0)), 4),
                                     "target_var": round(float(yva.var()), 4), "noise_var": round(float((12 / 60) ** 2), 4)}))
