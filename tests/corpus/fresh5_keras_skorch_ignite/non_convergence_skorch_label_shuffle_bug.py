"""skorch: Pipeline(StandardScaler, NeuralNetClassifier) on a 4-class sensor-fault dataset.

Planted: when shuffling the rows before the train/test split, the code draws a fresh permutation
for the labels (`y = y[rng.permutation(n)]`) instead of reusing the one used for X, so features and
labels no longer belong together. The training loss sits at ln 4 and accuracy at chance.
--control reuses the same permutation.
"""
# expect: non_convergence
# allow: high_bias, overfitting, high_variance
# forbid: *
# evidence: control (same permutation) test acc 0.72, test loss 0.70 (majority 0.26); planted (independent permutations) train_loss 1.374 after 20 epochs (ln 4 = 1.386), test acc 0.255 (majority 0.278)
# control: --control
# native-log: history.json
# log-expect: non_convergence
# log-allow: high_bias, overfitting, high_variance
import os
import sys
import json
import tempfile

import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(0)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from skorch import NeuralNetClassifier
from skorch.callbacks import LRScheduler

CONTROL = "--control" in sys.argv
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOGDIR, exist_ok=True)

rng = np.random.default_rng(1234)
n = 4000
fault = rng.integers(0, 4, n)
vib = rng.gamma(2, 1, n) + 1.5 * (fault == 1)
temp = rng.normal(60, 5, n) + 8 * (fault == 2)
curr = rng.normal(10, 1, n) + 2.0 * (fault == 3) - 1.0 * (fault == 2)
rpm = rng.normal(1500, 40, n) - 60 * (fault == 1)
X = np.column_stack([vib, temp, curr, rpm, rng.normal(size=(n, 4))]).astype(np.float32)
y = fault.astype(np.int64)

perm = rng.permutation(n)
X = X[perm]
y = y[perm] if CONTROL else y[rng.permutation(n)]  # BUG: a second, independent permutation
X_tr, y_tr, X_te, y_te = X[:3200], y[:3200], X[3200:], y[3200:]


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = nn.Linear(8, 32)
        self.l2 = nn.Linear(32, 4)

    def forward(self, x):
        return self.l2(torch.relu(self.l1(x)))


net = NeuralNetClassifier(Net, criterion=nn.CrossEntropyLoss, optimizer=torch.optim.Adam, lr=1e-3,
                          optimizer__weight_decay=1e-4, max_epochs=20, batch_size=128, verbose=0,
                          callbacks=[LRScheduler("ExponentialLR", gamma=0.95)])
pipe = make_pipeline(StandardScaler(), net)
pipe.fit(X_tr, y_tr)
net.history.to_file(os.path.join(LOGDIR, "history.json"))
for r in net.history[::4]:
    print(f"epoch {r['epoch']:2d} train_loss {r['train_loss']:.4f} valid_loss {r['valid_loss']:.4f} valid_acc {r['valid_acc']:.3f}")
p = pipe.predict_proba(X_te)
print("CORPUS_METRIC " + json.dumps({
    "val_acc": round(float((p.argmax(1) == y_te).mean()), 4),
    "val_loss": round(float(-np.log(p[np.arange(len(y_te)), y_te]).mean()), 4),
    "train_loss": round(float(net.history[-1, "train_loss"]), 4),
    "chance_acc": round(float(np.bincount(y_te).max() / len(y_te)), 4)}))
