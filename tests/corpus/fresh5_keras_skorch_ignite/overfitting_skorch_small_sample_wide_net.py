"""skorch: NeuralNetBinaryClassifier (2x128 MLP, dropout, AdamW) on a clinical-style table.

Planted: a `df.head(100)`-style subsample used while prototyping was never removed, so the
net trains on 100 rows (20 features, 8 of them informative plus one interaction) for 30 epochs.
The training loss goes to ~0 while the validation loss climbs. --control trains on the full
2000 training rows with the same model and schedule.
"""
# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: control (2000 rows) test acc 0.946, test loss 0.12, valid_loss flat at 0.11-0.12; planted (100 rows) train_loss 0.007 while valid_loss climbs from 0.44 (epoch 13) to 0.63, test acc 0.83, test loss 0.52
# control: --control
# native-log: history.json
# log-expect: overfitting
# log-allow: high_variance
import os
import sys
import json
import tempfile

import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(7)
from skorch import NeuralNetBinaryClassifier
from skorch.dataset import Dataset
from skorch.helper import predefined_split

CONTROL = "--control" in sys.argv
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(logdir, exist_ok=True)

rs = np.random.RandomState(77)
N, D = 3000, 20
X = rs.normal(size=(N, D)).astype(np.float32)
w = np.zeros(D)
w[:8] = rs.normal(0, 1, 8)
logit = X @ w + 0.8 * X[:, 8] * X[:, 9]
y = (logit > 0).astype(np.float32)
X_tr, y_tr, X_va, y_va, X_te, y_te = X[:2000], y[:2000], X[2000:2500], y[2000:2500], X[2500:], y[2500:]
if not CONTROL:
    X_tr, y_tr = X_tr[:100], y_tr[:100]  # prototyping subsample left in

net = NeuralNetBinaryClassifier(
    nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 1)),
    optimizer=torch.optim.AdamW, optimizer__weight_decay=0.05, lr=2e-3, max_epochs=30,
    batch_size=25, train_split=predefined_split(Dataset(X_va, y_va)), verbose=0,
)
net.fit(X_tr, y_tr)
net.history.to_file(os.path.join(logdir, "history.json"))
for r in net.history[::6]:
    print(f"epoch {r['epoch']:3d} train_loss {r['train_loss']:.4f} valid_loss {r['valid_loss']:.4f} valid_acc {r['valid_acc']:.3f}")
p = net.predict_proba(X_te)[:, 1]
te_loss = float(-(y_te * np.log(p + 1e-7) + (1 - y_te) * np.log(1 - p + 1e-7)).mean())
print("CORPUS_METRIC " + json.dumps({
    "val_acc": round(float(((p > 0.5) == y_te).mean()), 4), "val_loss": round(te_loss, 4),
    "train_loss": round(float(net.history[-1, "train_loss"]), 4), "chance_acc": 0.5}))
