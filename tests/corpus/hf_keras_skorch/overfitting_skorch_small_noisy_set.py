# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (60 train points) valid_loss best 0.737 at epoch 2 then rises to 2.18 at epoch 150, val_acc 0.76, train_loss 4e-5; control (1500 points, ~same steps) val_loss 0.736, val_acc 0.81
# control: --control
# native-log: history.json
# log-expect: overfitting
# log-allow: high_variance
"""skorch: a 2x512 MLP trained for 150 epochs on 60 points of a noisy 4-class problem
(15% random labels) with a fixed (predefined) validation set of 400 points.
--control trains on 1500 points for about the same number of optimizer steps."""
import argparse
import json
import os
import tempfile

import numpy as np
import torch
from torch import nn
from skorch import NeuralNetClassifier
from skorch.dataset import Dataset
from skorch.helper import predefined_split

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
cli = ap.parse_args()
torch.set_num_threads(1)

rng = np.random.default_rng(12)
mus = rng.normal(0, 1.0, size=(4, 12))


def draw(n):
    y = rng.integers(0, 4, size=n)
    x = mus[y] + rng.normal(size=(n, 12))
    noisy = rng.random(n) < 0.15
    y = np.where(noisy, rng.integers(0, 4, size=n), y)
    return x.astype(np.float32), y.astype(np.int64)


X_val, y_val = draw(400)
n_train, epochs = (1500, 6) if cli.control else (60, 150)
X_tr, y_tr = draw(n_train)

torch.manual_seed(12)
net = NeuralNetClassifier(
    nn.Sequential(nn.Linear(12, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 4)),
    criterion=nn.CrossEntropyLoss, optimizer=torch.optim.Adam, lr=1e-3, max_epochs=epochs,
    batch_size=16, iterator_train__shuffle=True,
    train_split=predefined_split(Dataset(X_val, y_val)), verbose=0)
net.fit(X_tr, y_tr)

logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(logdir, exist_ok=True)
net.history.to_file(os.path.join(logdir, "history.json"))

vl = net.history[:, "valid_loss"]
best = int(np.argmin(vl))
print("valid_loss every 10 epochs:", " ".join(f"{v:.3f}" for v in vl[::10]))
print("CORPUS_METRIC " + json.dumps({
    "n_train": n_train, "val_loss": round(vl[-1], 4), "val_acc": round(net.history[-1, "valid_acc"], 4),
    "best_val_loss": round(vl[best], 4), "best_epoch": best + 1,
    "train_loss": round(net.history[-1, "train_loss"], 5), "chance_acc": 0.25}))
