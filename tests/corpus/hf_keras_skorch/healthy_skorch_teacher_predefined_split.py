# expect:
# allow:
# forbid: *
# evidence: predefined validation set: val_acc 1.000 (majority 0.37), valid_loss 0.309 -> 0.019 decreasing every epoch, train_loss 0.012
# native-log: history.json
# log-expect:
# log-allow:
"""skorch NeuralNetClassifier with a predefined validation set, SGD + Nesterov momentum and a
step LR schedule; 3-class problem labelled by a fixed random linear teacher,
keeping only points with a margin from the class boundaries."""
import json
import os
import tempfile

import numpy as np
import torch
from torch import nn
from skorch import NeuralNetClassifier
from skorch.callbacks import LRScheduler
from skorch.dataset import Dataset
from skorch.helper import predefined_split

torch.set_num_threads(1)


def teacher_labels(X, W):
    return np.argmax(X @ W, axis=1).astype(np.int64)


def with_margin(X, W, margin=1.0):
    """keep only points whose top-2 teacher scores differ by > margin (clean, separable classes)"""
    z = np.sort(X @ W, axis=1)
    return X[z[:, -1] - z[:, -2] > margin]


rng = np.random.default_rng(44)
W = rng.normal(size=(20, 3))
X_train = with_margin(rng.normal(size=(4000, 20)), W)[:2400].astype(np.float32)
X_valid = with_margin(rng.normal(size=(1000, 20)), W)[:500].astype(np.float32)
y_train, y_valid = teacher_labels(X_train, W), teacher_labels(X_valid, W)

torch.manual_seed(44)
clf = NeuralNetClassifier(
    module=nn.Sequential(nn.Linear(20, 128), nn.ReLU(), nn.Linear(128, 3)),
    criterion=nn.CrossEntropyLoss,
    optimizer=torch.optim.SGD, optimizer__momentum=0.9, optimizer__nesterov=True,
    lr=0.02, max_epochs=20, batch_size=64,
    iterator_train__shuffle=True,
    train_split=predefined_split(Dataset(X_valid, y_valid)),
    callbacks=[LRScheduler(policy=torch.optim.lr_scheduler.StepLR, step_size=8, gamma=0.3)],
    verbose=0,
)
clf.fit(X_train, y_train)

logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="skorch_pre_")
os.makedirs(logdir, exist_ok=True)
clf.history.to_file(os.path.join(logdir, "history.json"))

hist = clf.history
print("valid_loss", " ".join(f"{v:.3f}" for v in hist[:, "valid_loss"]))
print("valid_acc ", " ".join(f"{v:.3f}" for v in hist[:, "valid_acc"]))
train_acc = float((clf.predict(X_train) == y_train).mean())
print("CORPUS_METRIC " + json.dumps({"val_loss": round(hist[-1, "valid_loss"], 4), "val_acc": round(hist[-1, "valid_acc"], 4),
                                     "train_loss": round(hist[-1, "train_loss"], 4), "train_acc": round(train_acc, 4),
                                     "chance_acc": round(float(np.bincount(y_valid).max() / len(y_valid)), 4)}))
