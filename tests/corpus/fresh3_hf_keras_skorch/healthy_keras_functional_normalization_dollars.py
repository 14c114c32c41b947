# expect:
# allow:
# forbid: *
# evidence: val_mse 0.071 vs target variance 1.92 (noise var 0.0625) with raw inputs up to 4.2e5 normalised by the adapted Normalization layer; train_mse 0.063
# native-log: housing/log.csv
# log-expect:
# log-allow:
"""House-price regression, Keras functional API. The raw features are on wildly different scales
(living area in sq ft ~500-4000, household income in dollars ~2e4-2e5, year built ~1950-2020,
rooms, distance in km) and are fed in raw -- but the first layer is a keras.layers.Normalization
adapted on the training features, so the network sees standardised inputs (the right way to
handle raw-scale data). Target: price in units of $100k. Adam 3e-3, Huber-free plain MSE,
EarlyStopping on val_loss with restore_best_weights.
"""
import json
import os
import tempfile
import warnings

os.environ["KERAS_BACKEND"] = "torch"
warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import keras  # noqa: E402


def make_houses(n, rng):
    sqft = rng.uniform(500, 4000, n)
    income = rng.lognormal(np.log(65000), 0.5, n)
    year = rng.integers(1950, 2021, n).astype(float)
    rooms = np.clip(np.round(sqft / 600 + rng.normal(0, 1, n)), 1, 9)
    dist = rng.uniform(0, 50, n)
    price = (0.9 * sqft / 1000 + 1.2 * np.log(income / 65000) + 0.02 * (year - 1985)
             + 1.5 * np.exp(-dist / 10) + 0.1 * rooms + 0.25 * rng.standard_normal(n)) + 2.0
    x = np.stack([sqft, income, year, rooms, dist], 1).astype("float32")
    return x, price.astype("float32")


def main():
    torch.set_num_threads(1)
    keras.utils.set_random_seed(11)
    rng = np.random.default_rng(11)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="housing_")
    os.makedirs(os.path.join(log_dir, "housing"), exist_ok=True)

    xtr, ytr = make_houses(1600, rng)
    xva, yva = make_houses(600, rng)

    norm = keras.layers.Normalization()
    norm.adapt(xtr)
    inp = keras.Input((5,))
    h = norm(inp)
    h = keras.layers.Dense(64, activation="relu")(h)
    h = keras.layers.Dense(32, activation="relu")(h)
    out = keras.layers.Dense(1)(h)
    model = keras.Model(inp, out)
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="mse", metrics=["mae"])
    model.fit(xtr, ytr, validation_data=(xva, yva), epochs=40, batch_size=64, verbose=0,
              callbacks=[keras.callbacks.CSVLogger(os.path.join(log_dir, "housing", "log.csv")),
                         keras.callbacks.EarlyStopping(monitor="val_loss", patience=5,
                                                       restore_best_weights=True)])

    va_mse, va_mae = model.evaluate(xva, yva, verbose=0)
    tr_mse, _ = model.evaluate(xtr, ytr, verbose=0)
    print("CORPUS_METRIC " + json.dumps({
        "val_mse": round(float(va_mse), 4), "val_mae": round(float(va_mae), 4),
        "train_mse": round(float(tr_mse), 4), "target_var": round(float(yva.var()), 4),
        "noise_var": 0.0625, "raw_input_max": float(xtr.max())}))


if __name__ == "__main__":
    main()
