# expect:
# allow:
# forbid: *
# evidence: 8-class blobs, CrossEntropy, cosine LR, EarlyStopping: test acc 0.929 (chance 0.125), test loss 0.214, valid_loss plateau ~0.16 vs train 0.14
# native-log: tb
# log-expect:
# log-allow:
"""skorch NeuralNetClassifier (CrossEntropyLoss on logits) on 8-class gaussian-blob data with a
nonlinear twist, ValidSplit(0.2, stratified), callbacks: EpochScoring (balanced accuracy),
LRScheduler(CosineAnnealingLR), EarlyStopping, TensorBoard (SummaryWriter into $CORPUS_LOG_DIR/tb)."""
import os
import json
import tempfile
import warnings

import numpy as np
import torch
import torch.nn as nn
from torch.utils.tensorboard import SummaryWriter
from skorch import NeuralNetClassifier
from skorch.callbacks import EarlyStopping, EpochScoring, LRScheduler, TensorBoard
from skorch.dataset import ValidSplit

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
torch.manual_seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="skc_")
rng = np.random.default_rng(0)
D, C = 10, 8
CENT = rng.normal(size=(C, D)) * 1.3


def sample(n):
    y = rng.integers(0, C, n)
    x = CENT[y] + rng.normal(size=(n, D))
    x[:, 0] = x[:, 0] + 0.5 * x[:, 1] ** 2  # bend the first feature
    return x.astype(np.float32), y.astype(np.int64)


X, y = sample(3000)
X_test, y_test = sample(800)
mu, sd = X.mean(0), X.std(0)
X, X_test = (X - mu) / sd, (X_test - mu) / sd


class MLP(nn.Module):
    def __init__(self, hidden=96, dropout=0.1):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(D, hidden), nn.ReLU(), nn.Dropout(dropout),
                                 nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, C))

    def forward(self, x):
        return self.net(x)


EPOCHS = 20
net = NeuralNetClassifier(
    MLP, criterion=nn.CrossEntropyLoss, optimizer=torch.optim.AdamW, optimizer__weight_decay=1e-3,
    lr=3e-3, max_epochs=EPOCHS, batch_size=64, iterator_train__shuffle=True,
    train_split=ValidSplit(0.2, stratified=True, random_state=0),
    callbacks=[
        EpochScoring("balanced_accuracy", lower_is_better=False, name="valid_bal_acc"),
        LRScheduler(policy=torch.optim.lr_scheduler.CosineAnnealingLR, T_max=EPOCHS),
        EarlyStopping(monitor="valid_loss", patience=5),
        TensorBoard(SummaryWriter(os.path.join(LOG_DIR, "tb"))),
    ],
    verbose=0,
)
net.fit(X, y)
proba = net.predict_proba(X_test)
val_loss = float(-np.log(proba[np.arange(len(y_test)), y_test] + 1e-12).mean())
val_acc = float((proba.argmax(1) == y_test).mean())
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "train_loss": round(float(net.history[-1, "train_loss"]), 4),
                                     "epochs_run": len(net.history), "chance_acc": 0.125}))
