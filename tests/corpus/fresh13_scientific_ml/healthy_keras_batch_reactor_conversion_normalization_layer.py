# Keras 3 (torch backend) surrogate for an isothermal first-order batch reactor: conversion
# X = 1 - exp(-k t), k = A exp(-Ea / (R T)). Inputs in engineering units -- temperature (K),
# activation energy (kJ/mol), log10 pre-exponential factor (1/s), residence time (min) -- are
# standardised by a keras.layers.Normalization layer adapted on the training set. Sigmoid output
# because 0 <= X <= 1. Adam, EarlyStopping(restore_best_weights), CSVLogger. Label noise sd 0.01.
# Many runs sit near X=0 or X=1 (a naturally skewed target), handled by the bounded output.
# expect:
# allow:
# forbid: *
# evidence: val MAE 0.0115 in conversion vs mean-baseline MAE 0.358, R2 0.997 (val_mse 5.2e-4 vs target var 0.168; noise sd 0.01 -> floor 1e-4); 66% of runs have X>0.95; early stopping restores the best epoch (stopped at 17)
# native-log: reactor_history.csv
# log-expect:
# log-allow:
import os, json, random, tempfile
os.environ["KERAS_BACKEND"] = "torch"
import numpy as np
import torch
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
import keras
keras.utils.set_random_seed(0)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
rng = np.random.default_rng(11)
R = 8.314e-3  # kJ/mol/K

def runs(n):
    T = rng.uniform(320, 480, n); Ea = rng.uniform(50, 110, n); logA = rng.uniform(6, 12, n); t_min = rng.uniform(1, 120, n)
    k = 10 ** logA * np.exp(-Ea / (R * T))
    X = 1 - np.exp(-k * t_min * 60)
    y = np.clip(X + rng.normal(0, 0.01, n), 0, 1)
    return np.stack([T, Ea, logA, t_min], 1).astype("float32"), y.astype("float32")

Xtr, ytr = runs(2000); Xva, yva = runs(500)
print(f"fraction of training runs with X<0.05: {np.mean(ytr < 0.05):.2f}, X>0.95: {np.mean(ytr > 0.95):.2f}")
norm = keras.layers.Normalization()
norm.adapt(Xtr)
model = keras.Sequential([keras.Input((4,)), norm,
                          keras.layers.Dense(64, activation="gelu"), keras.layers.Dense(64, activation="gelu"),
                          keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="mse", metrics=["mae"])
hist = model.fit(Xtr, ytr, validation_data=(Xva, yva), epochs=20, batch_size=64, verbose=0,
                 callbacks=[keras.callbacks.CSVLogger(os.path.join(log_dir, "reactor_history.csv")),
                            keras.callbacks.EarlyStopping(monitor="val_loss", patience=6, restore_best_weights=True)])
h = hist.history
for e in range(0, len(h["loss"]), 5):
    print(f"epoch {e} loss {h['loss'][e]:.5f} val_loss {h['val_loss'][e]:.5f} val_mae {h['val_mae'][e]:.4f}")
pred = model.predict(Xva, verbose=0)[:, 0]
mse = float(np.mean((pred - yva) ** 2)); mae = float(np.mean(np.abs(pred - yva)))
base = float(np.mean(np.abs(yva - ytr.mean()))); r2 = 1 - mse / float(yva.var())
print(f"epochs run {len(h['loss'])}; val MAE {mae:.4f} (mean baseline {base:.4f}), R2 {r2:.4f}, noise sd 0.01")
print("CORPUS_METRIC " + json.dumps({"val_mse": mse, "val_mae": mae, "baseline_mae": base, "val_r2": r2, "target_var": float(yva.var()), "train_loss": float(h["loss"][-1])}))
