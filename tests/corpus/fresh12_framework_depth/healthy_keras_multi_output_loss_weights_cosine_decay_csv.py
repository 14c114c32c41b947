"""Keras 3 (torch backend) functional multi-output model for wind-turbine records in physical units (wind m/s, rotor rpm,
pitch deg, nacelle temp degC, vibration mm/s): head 1 classifies the operating state (3 classes, softmax CE),
head 2 regresses power output (kW, standardised). A keras.layers.Normalization adapted on the training data sits at the input.
loss_weights={"state": 1.0, "power": 0.5}, AdamW with keras.optimizers.schedules.CosineDecay (warmup), CSVLogger."""
# expect:
# allow:
# forbid: *
# evidence: state head val_acc 0.970 (majority 0.54), power head val_mse 0.025 on a standardised target (var 1.02, R2 ~0.975), total val_loss 0.104 vs train 0.092
# native-log: keras_log.csv
# log-expect:
# log-allow:
import os, json, random, tempfile, warnings
os.environ["KERAS_BACKEND"] = "torch"
warnings.filterwarnings("ignore")
import numpy as np
import torch
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
import keras
keras.utils.set_random_seed(0)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
rng = np.random.default_rng(0)


def turbines(n):
    wind = rng.uniform(2, 25, n); rpm = wind * 1.1 + rng.normal(0, 1, n); pitch = np.clip((wind - 12) * 2.5, 0, None) + rng.normal(0, 1, n)
    temp = rng.uniform(-10, 35, n) + 0.3 * rpm; vib = rng.gamma(2, 1.2, n)
    state = np.where(wind < 4, 0, np.where(wind > 12, 2, 1))                     # idle / partial / rated
    state = np.where(vib > 6, 0, state)                                            # high vibration -> idled
    power = np.where(state == 0, 0, np.minimum(2000, 1.2 * wind ** 3)) * (1 - 0.004 * np.maximum(temp - 25, 0)) + rng.normal(0, 60, n)
    return np.stack([wind, rpm, pitch, temp, vib], 1).astype("float32"), state, power.astype("float32")


Xtr, str_, ptr = turbines(2400); Xva, sva, pva = turbines(600)
pmu, psd = ptr.mean(), ptr.std()
norm = keras.layers.Normalization(); norm.adapt(Xtr)
inp = keras.Input((5,))
h = norm(inp)
h = keras.layers.Dense(64, activation="relu")(h)
h = keras.layers.Dense(64, activation="relu")(h)
state = keras.layers.Dense(3, activation="softmax", name="state")(h)
power = keras.layers.Dense(1, name="power")(keras.layers.Dense(32, activation="relu")(h))
model = keras.Model(inp, {"state": state, "power": power})
EPOCHS, BS = 12, 64
steps = EPOCHS * int(np.ceil(len(Xtr) / BS))
sched = keras.optimizers.schedules.CosineDecay(0.0, decay_steps=steps - 30, warmup_target=5e-3, warmup_steps=30, alpha=0.01)
model.compile(optimizer=keras.optimizers.AdamW(sched, weight_decay=1e-4),
              loss={"state": "sparse_categorical_crossentropy", "power": "mse"}, loss_weights={"state": 1.0, "power": 0.5},
              metrics={"state": ["accuracy"], "power": ["mse"]})
hist = model.fit(Xtr, {"state": str_, "power": (ptr - pmu) / psd}, validation_data=(Xva, {"state": sva, "power": (pva - pmu) / psd}),
                 epochs=EPOCHS, batch_size=BS, verbose=0, callbacks=[keras.callbacks.CSVLogger(os.path.join(LOG_DIR, "keras_log.csv"))])
ev = model.evaluate(Xva, {"state": sva, "power": (pva - pmu) / psd}, verbose=0, return_dict=True)
h = hist.history
print("CORPUS_METRIC " + json.dumps({"val_loss": round(ev["loss"], 4), "val_state_acc": round(ev["state_accuracy"], 4), "val_power_mse": round(ev["power_mse"], 4),
                                     "power_target_var": round(float(((pva - pmu) / psd).var()), 4), "train_loss": round(h["loss"][-1], 4),
                                     "chance_state_acc": round(float(np.bincount(sva).max() / len(sva)), 4)}))
