# Fitting a sensor calibration curve: 4 inputs (raw reading, temperature, humidity, supply V) -> true value.
# The reference instrument is precise: its noise sd is 0.05 -> Bayes MSE = 2.5e-3 (R^2 ceiling ~0.98).
# So a train loss that keeps falling towards ~2.5e-3 is the goal; what would be a problem is a dev MSE
# far above the train MSE. cosine-decayed Adam, EarlyStopping on val_loss (restore_best_weights).
# expect:
# allow:
# forbid: *
# evidence: Bayes MSE 2.5e-3 (reference noise sd 0.05), var(y) 0.113; train MSE 2.70e-3, dev MSE 2.72e-3 -> avoidable bias 2e-4 (8% of Bayes), variance ~0; loss falls 0.023 -> 0.0027 and flattens at the floor
# native-log: calib_log.csv
# log-expect:
# log-allow:
import os
os.environ["KERAS_BACKEND"] = "torch"
import json
import tempfile

import numpy as np
import torch
import keras

torch.set_num_threads(1)
keras.utils.set_random_seed(21)
REF_NOISE_SD = 0.05
BAYES_MSE = round(REF_NOISE_SD ** 2, 6)


def calibration_set(n, rng):
    raw = rng.uniform(0, 1, n)
    temp = rng.uniform(-1, 1, n)
    hum = rng.uniform(0, 1, n)
    volt = rng.uniform(-1, 1, n)
    true = 0.8 * raw + 0.3 * raw ** 2 - 0.15 * temp * raw + 0.05 * hum - 0.1 * np.tanh(2 * volt)
    y = true + REF_NOISE_SD * rng.standard_normal(n)
    return np.stack([raw, temp, hum, volt], 1).astype("float32"), y.astype("float32")


rng = np.random.default_rng(21)
Xtr, ytr = calibration_set(2400, rng)
Xdv, ydv = calibration_set(1000, rng)

model = keras.Sequential([
    keras.Input(shape=(4,)),
    keras.layers.Dense(128, activation="gelu"),
    keras.layers.Dense(128, activation="gelu"),
    keras.layers.Dense(1),
])
EPOCHS = 18
schedule = keras.optimizers.schedules.CosineDecay(3e-3, decay_steps=EPOCHS * int(np.ceil(len(ytr) / 32)), alpha=0.02)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=schedule), loss="mse")


class NoiseFloor(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        logs["bayes_mse"] = BAYES_MSE


logs_at = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(logs_at, exist_ok=True)
model.fit(Xtr, ytr, validation_data=(Xdv, ydv), epochs=EPOCHS, batch_size=32, verbose=0,
          callbacks=[NoiseFloor(),
                     keras.callbacks.EarlyStopping(monitor="val_loss", patience=6, restore_best_weights=True),
                     keras.callbacks.CSVLogger(os.path.join(logs_at, "calib_log.csv"))])

train_mse = float(model.evaluate(Xtr, ytr, verbose=0))
dev_mse = float(model.evaluate(Xdv, ydv, verbose=0))
print(f"Bayes MSE {BAYES_MSE:.1e} | train MSE {train_mse:.2e} | dev MSE {dev_mse:.2e} | var(y) {ydv.var():.4f}")
print("CORPUS_METRIC " + json.dumps({"train_mse": train_mse, "val_mse": dev_mse, "bayes_mse": BAYES_MSE,
                                     "target_var": float(ydv.var()), "train_err": train_mse, "dev_err": dev_mse,
                                     "bayes_err": BAYES_MSE}))
