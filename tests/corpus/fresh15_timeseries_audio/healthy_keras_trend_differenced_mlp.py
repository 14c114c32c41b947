"""Keras 3 (torch backend) forecaster for a monthly-like sales series with a strong upward trend and
seasonality. The model is trained on first differences (removing the trend), so val inputs/targets
lie in the same range as training even though the raw level in the val period is far above anything
seen in training; forecasts are integrated back. Compared with naive and seasonal-naive on raw scale.
Keras CSVLogger."""
# expect:
# allow:
# forbid: *
# evidence: healthy: trained on differenced series; raw-scale val MAE 1.042 (noise sd 1.0) vs naive last-value 2.925 and seasonal-naive(60)+drift 1.101, although the val level (152) is far above the train level (90)
# native-log: keras_diff_history.csv
# log-expect:
# log-allow:
import os, sys, json, random, tempfile
os.environ["KERAS_BACKEND"] = "torch"
import numpy as np, torch
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
import keras
keras.utils.set_random_seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(LOG_DIR, exist_ok=True)
N = 1500; t = np.arange(N)
raw = 50 + 0.08 * t + 6 * np.sin(2 * np.pi * t / 12) + 3 * np.sin(2 * np.pi * t / 5) + 1.0 * np.random.randn(N)
d = np.diff(raw)                                       # differencing removes the linear trend
sd = d[:1000].std(); dn = (d / sd).astype(np.float32)
W = 24
X = np.stack([dn[i - W:i] for i in range(W, len(dn))]); Y = dn[W:]
cut = 1000 - W
Xtr, Ytr, Xva, Yva = X[:cut], Y[:cut], X[cut + 50:], Y[cut + 50:]
model = keras.Sequential([keras.Input((W,)), keras.layers.Dense(64, activation="relu"), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.Adam(2e-3), loss="mse", metrics=["mae"])
hist = model.fit(Xtr, Ytr, validation_data=(Xva, Yva), epochs=18, batch_size=64, verbose=0,
                 callbacks=[keras.callbacks.CSVLogger(os.path.join(LOG_DIR, "keras_diff_history.csv"))])
h = hist.history
for e in range(0, 18, 3): print(f"epoch {e} loss {h['loss'][e]:.4f} val_loss {h['val_loss'][e]:.4f}")
pred_d = model.predict(Xva, verbose=0).ravel() * sd
idx = np.arange(W, len(dn))[cut + 50:]                  # d index of each target; raw target = raw[idx + 1]
prev = raw[idx]; target = raw[idx + 1]; pred = prev + pred_d
mae = np.abs(pred - target).mean(); naive = np.abs(prev - target).mean(); seas = np.abs(raw[idx + 1 - 60] + 60 * 0.08 - target).mean()
print(f"raw-scale val MAE {mae:.3f}; naive last-value {naive:.3f}; seasonal-naive(60)+drift {seas:.3f}; val level {target.mean():.1f} vs train level {raw[:1000].mean():.1f}")
print("CORPUS_METRIC " + json.dumps({"val_mse_diff_scaled": round(h["val_loss"][-1], 4), "train_mse_diff_scaled": round(h["loss"][-1], 4),
      "val_mae_raw": round(float(mae), 4), "naive_mae_raw": round(float(naive), 4), "seasonal_naive_drift_mae_raw": round(float(seas), 4),
      "noise_sd": 1.0, "target_var_diff_scaled": round(float(Yva.var()), 4)}))
