# expect:
# allow:
# forbid: *
# evidence: healthy; val_mse 0.062 vs target_var 1.37 (noise var 0.05), train_mse 0.063
# native-log: reg_history.json
# log-expect:
# log-allow:
# skorch NeuralNetRegressor on a smooth nonlinear target with observation noise (noise var 0.05);
# Adam + StepLR, checkpoint of best valid_loss, history saved with net.history.to_file.
import os, json, tempfile
import numpy as np
import torch, torch.nn as nn
from skorch import NeuralNetRegressor
from skorch.callbacks import LRScheduler, Checkpoint
torch.set_num_threads(1); torch.manual_seed(8)
out = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(out, exist_ok=True)
rs = np.random.RandomState(8)
X = rs.uniform(-2, 2, (2500, 5)).astype(np.float32)
f = np.sin(X[:, 0] * 1.5) + 0.5 * X[:, 1] ** 2 - X[:, 2] * X[:, 3] * 0.5
y = (f + rs.normal(0, np.sqrt(0.05), len(f))).astype(np.float32)[:, None]
Xtr, ytr, Xte, yte = X[:2000], y[:2000], X[2000:], y[2000:]
net = NeuralNetRegressor(nn.Sequential(nn.Linear(5, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 1)),
                         optimizer=torch.optim.Adam, lr=3e-3, max_epochs=30, batch_size=64, iterator_train__shuffle=True,
                         callbacks=[LRScheduler("StepLR", step_size=10, gamma=0.3), Checkpoint(dirname=tempfile.mkdtemp(), load_best=True)],
                         verbose=0)
net.fit(Xtr, ytr)
net.history.to_file(os.path.join(out, "reg_history.json"))
mse = lambda a, b: float(((a - b) ** 2).mean())
print("CORPUS_METRIC " + json.dumps({"val_mse": round(mse(net.predict(Xte), yte), 4), "train_mse": round(mse(net.predict(Xtr), ytr), 4),
                                     "target_var": round(float(yte.var()), 4), "noise_var": 0.05}))
