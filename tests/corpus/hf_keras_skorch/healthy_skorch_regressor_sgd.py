# expect:
# allow:
# forbid: *
# evidence: val_mse 0.0253 on standardised target (variance 1.0, R^2 0.975), train_mse 0.022; valid_loss 0.89 -> 0.025
# native-log: history.json
# log-expect:
# log-allow:
# skorch NeuralNetRegressor, SGD with momentum and a cosine LR schedule, smooth 5-D target plus small noise.
import os, json, tempfile
import numpy as np
import torch
import torch.nn as nn
from skorch import NeuralNetRegressor
from skorch.callbacks import LRScheduler
from skorch.dataset import ValidSplit

torch.set_num_threads(1)
torch.manual_seed(2)
rs = np.random.RandomState(2)

N = 3000
X = rs.randn(N, 5).astype(np.float32)
y = (np.sin(2 * X[:, 0]) + 0.5 * X[:, 1] ** 2 - X[:, 2] * X[:, 3] + 0.3 * X[:, 4] + 0.1 * rs.randn(N))
y = ((y - y.mean()) / y.std()).astype(np.float32).reshape(-1, 1)

regressor = NeuralNetRegressor(
    module=nn.Sequential(nn.Linear(5, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 1)),
    max_epochs=30,
    lr=0.02,
    optimizer=torch.optim.SGD,
    optimizer__momentum=0.9,
    batch_size=64,
    iterator_train__shuffle=True,
    train_split=ValidSplit(0.2, random_state=0),
    callbacks=[LRScheduler(policy=torch.optim.lr_scheduler.CosineAnnealingLR, T_max=30)],
    verbose=0,
)
regressor.fit(X, y)

logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(logdir, exist_ok=True)
regressor.history.to_file(os.path.join(logdir, "history.json"))

hist = regressor.history
print("valid_loss by epoch:", " ".join(f"{v:.3f}" for v in hist[:, "valid_loss"]))
print("CORPUS_METRIC " + json.dumps({"val_mse": round(hist[-1, "valid_loss"], 4),
                                     "train_mse": round(hist[-1, "train_loss"], 4),
                                     "target_var": 1.0, "noise_var_approx": 0.01}))
