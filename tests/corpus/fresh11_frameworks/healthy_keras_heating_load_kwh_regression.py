"""Healthy: Keras 3 (torch backend) regression of annual heating demand in kWh, properly normalised.

Synthetic buildings: floor area (m^2, 40-400), wall U-value (W/m^2K), window fraction, indoor set
point (degC), heating degree days (K*day, 1500-4500) and building age (years). The target is a
physical-style heat-loss formula in kWh (hundreds to tens of thousands) plus 8 % multiplicative
noise. Inputs go through a Normalization layer adapted on the train split and the target is
standardised (and un-standardised for reporting). Sequential MLP, AdamW, cosine decay,
keras History saved as JSON into $CORPUS_LOG_DIR.
"""
# expect:
# allow:
# forbid: *
# evidence: val R^2 0.972: val_mse 4.2e6 kWh^2 vs target variance 1.5e8 kWh^2 and noise floor Var[y|x] 3.6e6; standardised val loss 0.029 ~ train 0.023
# native-log: history.json
# log-expect:
# log-allow:
import os, sys, json, random, tempfile, warnings
os.environ["KERAS_BACKEND"] = "torch"
warnings.filterwarnings("ignore")
import numpy as np
import torch
torch.set_num_threads(1)
random.seed(8); np.random.seed(8); torch.manual_seed(8)
import keras
from keras import layers
keras.utils.set_random_seed(8)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="f11_heat_")
os.makedirs(LOG_DIR, exist_ok=True)

rng = np.random.default_rng(8)
N = 3000
area = rng.uniform(40, 400, N)
u_wall = rng.uniform(0.15, 1.6, N)
win = rng.uniform(0.1, 0.45, N)
setpoint = rng.uniform(18, 23, N)
hdd = rng.uniform(1500, 4500, N)
age = rng.uniform(0, 90, N)
envelope = area * (1.0 - win) * u_wall + area * win * 2.8 + 0.35 * area * (1 + age / 60)   # W/K
heat_kwh = envelope * (hdd * (1 + (setpoint - 20) * 0.06)) * 24 / 1000 * 0.6
heat_clean = heat_kwh.copy()
heat_kwh = heat_clean * np.exp(rng.normal(0, 0.08, N))
X = np.stack([area, u_wall, win, setpoint, hdd, age], 1).astype("float32")
y = heat_kwh.astype("float32")
tr, va = np.arange(2400), np.arange(2400, N)
y_mu, y_sd = y[tr].mean(), y[tr].std()

norm = layers.Normalization()
norm.adapt(X[tr])
model = keras.Sequential([keras.Input((6,)), norm, layers.Dense(64, activation="relu"),
                          layers.Dense(64, activation="relu"), layers.Dense(1)])
steps = 30 * int(np.ceil(len(tr) / 128))
model.compile(optimizer=keras.optimizers.AdamW(keras.optimizers.schedules.CosineDecay(3e-3, steps, alpha=0.05), weight_decay=1e-4),
              loss="mse", metrics=["mae"])
hist = model.fit(X[tr], (y[tr] - y_mu) / y_sd, validation_data=(X[va], (y[va] - y_mu) / y_sd),
                 epochs=30, batch_size=128, verbose=0)
with open(os.path.join(LOG_DIR, "history.json"), "w") as f:
    json.dump({k: [float(v) for v in vals] for k, vals in hist.history.items()}, f)
pred_va = model.predict(X[va], verbose=0).ravel() * y_sd + y_mu
pred_tr = model.predict(X[tr], verbose=0).ravel() * y_sd + y_mu
val_mse = float(np.mean((pred_va - y[va]) ** 2)); train_mse = float(np.mean((pred_tr - y[tr]) ** 2))
var = float(np.var(y[va]))
noise_floor = float(np.mean(heat_clean[va] ** 2 * np.exp(0.08 ** 2) * (np.exp(0.08 ** 2) - 1)))  # Var[y | x]
print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 1), "train_mse": round(train_mse, 1), "target_var": round(var, 1),
                                     "val_r2": round(1 - val_mse / var, 4), "val_loss_std_units": round(hist.history["val_loss"][-1], 4),
                                     "train_loss_std_units": round(hist.history["loss"][-1], 4), "approx_noise_mse": round(noise_floor, 1)}))
