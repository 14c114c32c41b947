# expect: non_finite
# allow: exploding_gradients, non_convergence
# forbid: *
# evidence: planted (NaN cells fed to the net) train_loss NaN from the first batch, all weights NaN, val_mse NaN; control (mean-imputed) val_mse 0.223 vs target var 6.57, train_mse 0.136
# control: --control
# native-log: history.json
# log-expect: non_finite
# log-allow: non_convergence
"""skorch NeuralNetRegressor on a synthetic house-price-like table (12 features) where ~3% of the rows
have a missing value (np.nan) in one of the features, exactly as read from a CSV. Planted: the NaNs are
passed to the network (standardisation with nanmean/nanstd keeps them NaN). --control: missing values
are imputed with the training-column mean before standardising."""
import os, sys, json, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
from skorch import NeuralNetRegressor

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
rng = np.random.default_rng(0)
n = 2000
X = rng.normal(size=(n, 12))
y = 2 * X[:, 0] - X[:, 1] + np.abs(X[:, 2]) + 0.5 * X[:, 3] * X[:, 4] + 0.3 * rng.normal(size=n)
miss = rng.random(n) < 0.03
X[miss, rng.integers(0, 12, size=miss.sum())] = np.nan
Xtr, ytr, Xva, yva = X[:1600], y[:1600], X[1600:], y[1600:]
mu, sd = np.nanmean(Xtr, 0), np.nanstd(Xtr, 0)
if CONTROL:
    Xtr = np.where(np.isnan(Xtr), mu, Xtr); Xva = np.where(np.isnan(Xva), mu, Xva)
Xtr, Xva = ((Xtr - mu) / sd).astype(np.float32), ((Xva - mu) / sd).astype(np.float32)
ytr32 = ytr.astype(np.float32).reshape(-1, 1)

net = NeuralNetRegressor(nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1)),
                         optimizer=torch.optim.Adam, lr=1e-3, max_epochs=15, batch_size=64, verbose=0,
                         train_split=None)
net.fit(Xtr, ytr32)
net.history.to_file(os.path.join(LOG_DIR, "history.json"))
pv = net.predict(Xva).ravel(); pt = net.predict(Xtr).ravel()
mse = lambda p, t: float(np.mean((p - t) ** 2))
print("CORPUS_METRIC " + json.dumps({"val_mse": round(mse(pv, yva), 4), "train_mse": round(mse(pt, ytr), 4), "target_var": round(float(yva.var()), 4),
                                     "nan_weights": bool(any(torch.isnan(p).any().item() for p in net.module_.parameters()))}))
