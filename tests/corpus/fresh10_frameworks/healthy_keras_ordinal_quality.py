# expect:
# allow:
# forbid: *
# evidence: healthy: val_mse 0.174 vs target variance 1.333 (R^2 0.87), train_mse 0.129; rounded-grade val acc 0.777 (majority grade 0.302), labels carry latent noise
# native-log: training.csv
# log-expect:
# log-allow:
"""Healthy: Keras 3 (torch backend) MLP for an ordinal target (quality grade 0..4 cut from a noisy
latent score of 10 tabular features), trained as regression on the grade with MSE, Adam + ReduceLROnPlateau,
EarlyStopping(restore_best_weights), CSVLogger. Accuracy = rounded prediction equals the grade."""
import os, sys, json, tempfile, warnings
os.environ["KERAS_BACKEND"] = "torch"
warnings.filterwarnings("ignore")
import numpy as np
import torch
torch.set_num_threads(1)
import keras
from keras import layers

keras.utils.set_random_seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
rng = np.random.default_rng(0)
n = 3000
X = rng.normal(size=(n, 10)).astype("float32")
latent = X[:, 0] + 0.8 * X[:, 1] - 0.6 * X[:, 2] + 0.5 * np.tanh(2 * X[:, 3]) + 0.4 * X[:, 4] * X[:, 5] + 0.3 * rng.normal(size=n)
y = np.digitize(latent, np.quantile(latent, [0.1, 0.35, 0.65, 0.9])).astype("float32")
Xtr, ytr, Xva, yva = X[:2400], y[:2400], X[2400:], y[2400:]

model = keras.Sequential([keras.Input((10,)), layers.Dense(64, activation="relu"), layers.Dense(64, activation="relu"),
                          layers.Dense(1)])
model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="mse", metrics=["mae"])
hist = model.fit(Xtr, ytr, validation_data=(Xva, yva), epochs=12, batch_size=64, verbose=0,
                 callbacks=[keras.callbacks.CSVLogger(os.path.join(LOG_DIR, "training.csv")),
                            keras.callbacks.ReduceLROnPlateau(patience=3, factor=0.5),
                            keras.callbacks.EarlyStopping(patience=6, restore_best_weights=True)])
pv = model.predict(Xva, verbose=0).ravel(); pt = model.predict(Xtr, verbose=0).ravel()
acc = lambda p, t: float((np.clip(np.round(p), 0, 4) == t).mean())
print("CORPUS_METRIC " + json.dumps({"val_mse": round(float(((pv - yva) ** 2).mean()), 4), "train_mse": round(float(((pt - ytr) ** 2).mean()), 4),
                                     "target_var": round(float(yva.var()), 4), "val_acc": round(acc(pv, yva), 4),
                                     "train_acc": round(acc(pt, ytr), 4), "chance_acc": round(float(np.bincount(yva.astype(int)).max() / len(yva)), 4),
                                     "epochs_run": len(hist.history["loss"])}))
