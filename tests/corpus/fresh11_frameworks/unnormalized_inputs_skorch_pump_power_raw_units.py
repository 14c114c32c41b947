"""Planted unnormalized_inputs: skorch NeuralNetRegressor fed raw physical units (Pa, K, rpm, m^3/h).

Predict the electrical power (kW) of a pump from flow (m^3/h, 5-300), discharge pressure (Pa,
1e5-8e5), fluid temperature (K, 280-360), shaft speed (rpm, 900-3000) and valve opening (0-1).
The target is standardised in both runs. The planted cause: the feature matrix goes into the MLP
as-is, so input columns differ in scale by ~6 orders of magnitude (pressure ~4e5 vs valve ~0.5).
--control puts a StandardScaler in front of the net (sklearn Pipeline); nothing else changes.
"""
# expect: unnormalized_inputs
# allow: non_convergence, high_bias, learning_rate_too_high, exploding_gradients, dead_units
# forbid: *
# evidence: planted (raw units, column std 0.23 .. 2.0e5): test R^2 -230 (MSE 9.5e4 vs target variance 409 kW^2), valid_loss 251 in standardised target units; control (StandardScaler): test R^2 0.998, valid_loss 0.002
# control: --control
# native-log: pump_history.json
# log-expect:
# log-allow: non_convergence, high_bias, learning_rate_too_high, exploding_gradients
import os, sys, json, random, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
torch.set_num_threads(1)
random.seed(12); np.random.seed(12); torch.manual_seed(12)
from skorch import NeuralNetRegressor
from skorch.dataset import ValidSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
CONTROL = "--control" in sys.argv

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="f11_pump_")
os.makedirs(LOG_DIR, exist_ok=True)

rng = np.random.default_rng(12)
N = 3000
flow = rng.uniform(5, 300, N)              # m^3/h
press = rng.uniform(1e5, 8e5, N)           # Pa
temp = rng.uniform(280, 360, N)            # K
rpm = rng.uniform(900, 3000, N)            # 1/min
valve = rng.uniform(0.2, 1.0, N)           # fraction
eff = 0.8 - 0.25 * (rpm / 3000 - 0.65) ** 2 - 0.15 * (1 - valve) - 0.0008 * (temp - 300)
power_kw = (flow / 3600) * press / 1000 / eff * (1 + 0.02 * rng.normal(size=N))
X = np.stack([flow, press, temp, rpm, valve], 1).astype(np.float32)
y = power_kw.astype(np.float32)
tr, te = np.arange(2400), np.arange(2400, N)
y_mu, y_sd = y[tr].mean(), y[tr].std()
ytr_s = ((y[tr] - y_mu) / y_sd).reshape(-1, 1)

net = NeuralNetRegressor(
    nn.Sequential(nn.Linear(5, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1)),
    optimizer=torch.optim.Adam, lr=1e-3, max_epochs=40, batch_size=64,
    train_split=ValidSplit(0.2, random_state=12), iterator_train__shuffle=True, verbose=0)
model = Pipeline([("scale", StandardScaler()), ("net", net)]) if CONTROL else net
model.fit(X[tr], ytr_s)
net.save_params(f_history=os.path.join(LOG_DIR, "pump_history.json"))

pred = model.predict(X[te]).ravel() * y_sd + y_mu
mse = float(np.mean((pred - y[te]) ** 2)); var = float(np.var(y[te]))
h = net.history
print("feature std per column:", [f"{s:.3g}" for s in X[tr].std(0)])
print("valid_loss:", [round(float(v), 3) for v in h[:, "valid_loss"]][::4])
print("CORPUS_METRIC " + json.dumps({"test_mse_kw2": round(mse, 3), "target_var_kw2": round(var, 3), "test_r2": round(1 - mse / var, 4),
                                     "valid_loss_std_units": round(float(h[-1, "valid_loss"]), 4),
                                     "train_loss_std_units": round(float(h[-1, "train_loss"]), 4)}))
