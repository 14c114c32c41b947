# expect:
# allow:
# forbid: *
# evidence: 5-level ordinal taste ratings from 9 chemistry columns: val_acc 0.83 (majority class 0.36), val mean-abs rating error 0.17 stars, train_loss 0.54 ~ val_loss 0.56 (label smoothing 0.05)
# native-log: history.json
# log-expect:
# log-allow:
"""Predict a 1-5 taste rating of a wine-like product from its lab measurements (skorch)."""
import json
import os
import tempfile

import numpy as np
import torch
from torch import nn
from skorch import NeuralNetClassifier
from skorch.callbacks import EpochScoring, LRScheduler
from skorch.dataset import Dataset
from skorch.helper import predefined_split

torch.set_num_threads(1)
torch.manual_seed(11)
np.random.seed(11)

COLS = ["fixed_acidity", "volatile_acidity", "citric_acid", "residual_sugar", "chlorides",
        "free_so2", "density", "sulphates", "alcohol"]


def lab_table(n, rng):
    X = rng.normal(size=(n, len(COLS)))
    latent = (0.9 * X[:, 8] - 0.7 * X[:, 1] + 0.4 * X[:, 7] - 0.3 * X[:, 4]
              + 0.35 * np.tanh(X[:, 2] * X[:, 3]) - 0.25 * X[:, 6] ** 2 + rng.normal(0, 0.25, n))
    cuts = np.quantile(latent, [0.1, 0.3, 0.66, 0.9])
    rating = np.digitize(latent, cuts)          # 0..4  == stars 1..5
    return X.astype(np.float32), rating.astype(np.int64)


rng = np.random.default_rng(11)
X, y = lab_table(3000, rng)
Xtr, ytr, Xva, yva = X[:2400], y[:2400], X[2400:], y[2400:]


class RatingNet(nn.Module):
    def __init__(self, n_in=len(COLS), hidden=96, n_levels=5, p=0.1):
        super().__init__()
        self.body = nn.Sequential(
            nn.Linear(n_in, hidden), nn.GELU(), nn.Dropout(p),
            nn.Linear(hidden, hidden), nn.GELU(), nn.Dropout(p),
            nn.Linear(hidden, n_levels),
        )

    def forward(self, x):
        return self.body(x)


def mean_abs_stars(net, X, y):
    return float(np.abs(net.predict(X) - y).mean())


MAX_EPOCHS = 28
net = NeuralNetClassifier(
    RatingNet,
    criterion=nn.CrossEntropyLoss,
    criterion__label_smoothing=0.05,
    optimizer=torch.optim.AdamW,
    optimizer__weight_decay=1e-3,
    lr=3e-3,
    batch_size=64,
    max_epochs=MAX_EPOCHS,
    train_split=predefined_split(Dataset(Xva, yva)),
    callbacks=[
        ("val_mae", EpochScoring(mean_abs_stars, lower_is_better=True, name="valid_mae_stars")),
        ("cosine", LRScheduler(policy="CosineAnnealingLR", T_max=MAX_EPOCHS)),
    ],
    iterator_train__shuffle=True,
    verbose=0,
)
net.fit(Xtr, ytr)

log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
net.history.to_file(os.path.join(log_dir, "history.json"))

h = net.history[-1]
val_acc = float((net.predict(Xva) == yva).mean())
print(f"epoch {h['epoch']}: train_loss {h['train_loss']:.3f} valid_loss {h['valid_loss']:.3f} "
      f"valid_acc {val_acc:.3f} mae {h['valid_mae_stars']:.3f}")
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(h["valid_loss"], 4), "val_acc": round(val_acc, 4), "train_loss": round(h["train_loss"], 4),
    "val_mae_stars": round(h["valid_mae_stars"], 4), "chance_acc": round(float(np.bincount(yva).max() / len(yva)), 4)}))
