"""skorch: GRU classifier over variable-pattern sensor sequences, Adagrad optimiser.

Sequences (length 30, 3 channels) from three "machine states": a slow sine, a fast sine and a
sawtooth, with random phase, amplitude jitter and noise. The module returns logits from the last
hidden state; EpochScoring adds a train accuracy column to the skorch history.
"""
# expect:
# allow:
# forbid: *
# evidence: held-out acc 0.93 (chance 0.33), held-out loss 0.21; train_loss 0.069, valid_acc 0.93-0.94 over the last epochs with valid_loss 0.15-0.18
# native-log: gru_history.json
# log-expect:
# log-allow:
import os
import sys
import json
import tempfile

import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(5)
from skorch import NeuralNetClassifier
from skorch.callbacks import EpochScoring
from skorch.dataset import ValidSplit

LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOGDIR, exist_ok=True)
T = 30


def make(n, rs):
    t = np.arange(T)[None, :]
    y = rs.randint(0, 3, n)
    ph = rs.uniform(0, 2 * np.pi, (n, 1))
    amp = rs.uniform(0.5, 1.5, (n, 1))
    slow = np.sin(2 * np.pi * t / 15 + ph)
    fast = np.sin(2 * np.pi * t / 7 + ph)
    saw = ((t / 10 + ph / (2 * np.pi)) % 1.0) * 2 - 1
    sig = np.where(y[:, None] == 0, slow, np.where(y[:, None] == 1, fast, saw)) * amp
    X = np.stack([sig + rs.normal(0, 0.7, (n, T)), rs.normal(0, 1, (n, T)),
                  0.3 * sig + rs.normal(0, 0.7, (n, T))], -1)
    return X.astype(np.float32), y.astype(np.int64)


rs = np.random.RandomState(0)
X, y = make(1800, rs)
X_test, y_test = make(500, rs)


class GRUClassifier(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.gru = nn.GRU(3, hidden, batch_first=True)
        self.head = nn.Linear(hidden, 3)

    def forward(self, X):
        _, h = self.gru(X)
        return self.head(h[-1])


net = NeuralNetClassifier(
    GRUClassifier,
    criterion=nn.CrossEntropyLoss,
    optimizer=torch.optim.Adagrad,
    lr=0.05,
    max_epochs=12,
    batch_size=32,
    train_split=ValidSplit(5, stratified=True),
    callbacks=[EpochScoring("accuracy", on_train=True, name="train_acc", lower_is_better=False)],
    verbose=1,
)
net.fit(X, y)
net.history.to_file(os.path.join(LOGDIR, "gru_history.json"))
proba = net.predict_proba(X_test)
print("CORPUS_METRIC " + json.dumps({
    "val_acc": round(float((proba.argmax(1) == y_test).mean()), 4),
    "val_loss": round(float(-np.log(proba[np.arange(len(y_test)), y_test] + 1e-12).mean()), 4),
    "train_loss": round(float(net.history[-1, "train_loss"]), 4), "chance_acc": 0.3333}))
