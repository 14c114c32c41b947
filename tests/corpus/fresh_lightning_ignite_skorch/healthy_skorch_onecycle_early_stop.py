# expect:
# allow:
# forbid: *
# evidence: 4 classes (chance 0.25), 3% label flips; AdamW + OneCycle (max 6e-3), dropout 0.2 -> valid_loss best 0.325 at epoch 15, flat 0.33-0.34 after, EarlyStopping stops at 21 and restores epoch 15; held-out test_acc 0.905, test_bal_acc 0.905, test_loss 0.343 (train_loss 0.186)
# native-log: history.json
# log-expect:
# log-allow:
"""skorch NeuralNetClassifier on a 4-class sklearn make_classification problem (20 features,
12 informative, 3% label flips). 20% stratified ValidSplit, OneCycleLR stepped per batch,
EpochScoring for balanced accuracy, EarlyStopping on valid_loss with load_best=True.
The history is saved with net.save_params(f_history=...)."""
import json
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_classification
from sklearn.metrics import accuracy_score, balanced_accuracy_score, log_loss
from sklearn.preprocessing import StandardScaler
from skorch import NeuralNetClassifier
from skorch.callbacks import EarlyStopping, EpochScoring, LRScheduler
from skorch.dataset import ValidSplit

torch.set_num_threads(1)
torch.manual_seed(0)
np.random.seed(0)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="skorch_oc_")
MAX_EPOCHS, BATCH = 24, 64


class MLP(nn.Module):
    def __init__(self, n_in=20, hidden=128, n_out=4, dropout=0.2):
        super().__init__()
        self.seq = nn.Sequential(nn.Linear(n_in, hidden), nn.ReLU(), nn.Dropout(dropout),
                                 nn.Linear(hidden, hidden), nn.ReLU(), nn.Dropout(dropout),
                                 nn.Linear(hidden, n_out))

    def forward(self, X):
        return self.seq(X)


def main():
    X, y = make_classification(n_samples=5000, n_features=20, n_informative=12, n_redundant=4,
                               n_classes=4, n_clusters_per_class=2, class_sep=1.2, flip_y=0.03,
                               random_state=42)
    X_train, y_train, X_test, y_test = X[:4000], y[:4000], X[4000:], y[4000:]
    scaler = StandardScaler().fit(X_train)
    X_train = scaler.transform(X_train).astype(np.float32)
    X_test = scaler.transform(X_test).astype(np.float32)
    y_train, y_test = y_train.astype(np.int64), y_test.astype(np.int64)

    steps_per_epoch = int(np.ceil(0.8 * len(X_train) / BATCH))
    net = NeuralNetClassifier(
        MLP,
        criterion=nn.CrossEntropyLoss,
        optimizer=torch.optim.AdamW,
        optimizer__weight_decay=1e-3,
        lr=3e-3,
        max_epochs=MAX_EPOCHS,
        batch_size=BATCH,
        iterator_train__shuffle=True,
        train_split=ValidSplit(0.2, stratified=True, random_state=0),
        callbacks=[
            ("onecycle", LRScheduler(policy=torch.optim.lr_scheduler.OneCycleLR, max_lr=6e-3, epochs=MAX_EPOCHS,
                                     steps_per_epoch=steps_per_epoch, step_every="batch")),
            ("bal_acc", EpochScoring("balanced_accuracy", lower_is_better=False, name="valid_bal_acc")),
            ("early", EarlyStopping(monitor="valid_loss", patience=6, load_best=True)),
        ],
        verbose=1,
    )
    net.fit(X_train, y_train)
    net.save_params(f_params=os.path.join(LOG_DIR, "params.pt"), f_history=os.path.join(LOG_DIR, "history.json"))

    proba = net.predict_proba(X_test)
    pred = proba.argmax(1)
    train_proba = net.predict_proba(X_train)
    print("CORPUS_METRIC " + json.dumps({
        "test_loss": round(float(log_loss(y_test, proba)), 4),
        "test_acc": round(float(accuracy_score(y_test, pred)), 4),
        "test_bal_acc": round(float(balanced_accuracy_score(y_test, pred)), 4),
        "train_loss": round(float(log_loss(y_train, train_proba)), 4),
        "chance_acc": 0.25,
        "epochs_run": int(net.history[-1, "epoch"]),
        "best_valid_loss": round(float(min(net.history[:, "valid_loss"])), 4),
    }))


if __name__ == "__main__":
    main()
