# expect:
# allow:
# forbid: *
# evidence: healthy: test MSE 3112 vs target variance 4964 (R^2 0.373; RidgeCV on the same split 0.369, the data is noisy), train MSE 2459; early-stopped at epoch 37
# native-log: history.json
# log-expect:
# log-allow:
"""Healthy: skorch NeuralNetRegressor (small MLP with dropout) on sklearn's diabetes data (442 patients,
10 features, noisy target), standardised target, Adam + weight decay, skorch EarlyStopping on valid_loss
with its internal 20% split; history written with net.history.to_file."""
import os, sys, json, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
from skorch import NeuralNetRegressor
from skorch.callbacks import EarlyStopping
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
X, y = load_diabetes(return_X_y=True)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=0)
mu, sd = Xtr.mean(0), Xtr.std(0); ym, ys = ytr.mean(), ytr.std()
f = lambda a: a.astype(np.float32)
Xtr_s, Xte_s = f((Xtr - mu) / sd), f((Xte - mu) / sd)
ytr_s = f(((ytr - ym) / ys).reshape(-1, 1))


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 1))

    def forward(self, x):
        return self.net(x)


net = NeuralNetRegressor(MLP, optimizer=torch.optim.Adam, lr=3e-3, optimizer__weight_decay=1e-3, max_epochs=150,
                         batch_size=32, callbacks=[EarlyStopping(monitor="valid_loss", patience=15, load_best=True)],
                         verbose=0)
net.fit(Xtr_s, ytr_s)
net.history.to_file(os.path.join(LOG_DIR, "history.json"))
pte = net.predict(Xte_s).ravel() * ys + ym; ptr = net.predict(Xtr_s).ravel() * ys + ym
print("CORPUS_METRIC " + json.dumps({"val_mse": round(float(((pte - yte) ** 2).mean()), 2), "train_mse": round(float(((ptr - ytr) ** 2).mean()), 2),
                                     "target_var": round(float(yte.var()), 2), "val_r2": round(1 - float(((pte - yte) ** 2).mean() / yte.var()), 4),
                                     "epochs_run": len(net.history)}))
