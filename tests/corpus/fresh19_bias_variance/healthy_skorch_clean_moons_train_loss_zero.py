"""Clean two-moons (labels are a deterministic function of the point; noise=0.1 on the
coordinates leaves the two moons separated), so Bayes error ~ 0.

A naive look at the curves says "train loss -> 0, overfitting!". Ng's bias/variance table
says otherwise: train err ~ Bayes (0), dev err ~ Bayes (0): no avoidable bias, no variance.
"""
# expect:
# allow:
# forbid: *
# evidence: Bayes err ~0 (deterministic labels); train loss 0.0013 (-> 0), dev loss flat at 0.0046-0.0048 from epoch 13; train err 0.000, dev err 0.0013, same-distribution test err 0.001
# native-log: history.json
# log-expect:
# log-allow:
import json
import os
import tempfile

import numpy as np
import torch
from torch import nn
from sklearn.datasets import make_moons
from skorch import NeuralNetClassifier
from skorch.callbacks import Callback, EpochScoring
from skorch.dataset import ValidSplit

torch.set_num_threads(1)
torch.manual_seed(0)
np.random.seed(0)

BAYES_ERR = 0.0

X, y = make_moons(n_samples=3000, noise=0.1, random_state=4)
X = X.astype(np.float32)
y = y.astype(np.int64)
X_test, y_test = make_moons(n_samples=1000, noise=0.1, random_state=5)
X_test, y_test = X_test.astype(np.float32), y_test.astype(np.int64)


class MoonNet(nn.Module):
    def __init__(self, hidden=64):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(2, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                                    nn.Linear(hidden, 2))

    def forward(self, X):
        return self.layers(X)


class RecordBayes(Callback):
    def on_epoch_end(self, net, **kwargs):
        net.history.record("bayes_err", BAYES_ERR)


def dev_error(net, X, y):
    return float(np.mean(net.predict(X) != y))


net = NeuralNetClassifier(
    MoonNet,
    criterion=nn.CrossEntropyLoss,
    optimizer=torch.optim.Adam,
    lr=5e-3,
    max_epochs=35,
    batch_size=128,
    train_split=ValidSplit(0.25, stratified=True, random_state=0),
    callbacks=[EpochScoring("accuracy", lower_is_better=False, on_train=True, name="train_acc"),
               RecordBayes()],
    verbose=0,
)
net.fit(X, y)

log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
net.save_params(f_history=os.path.join(log_dir, "history.json"))

h = net.history
train_loss, valid_loss = h[-1, "train_loss"], h[-1, "valid_loss"]
train_err = 1 - h[-1, "train_acc"]
dev_err = 1 - h[-1, "valid_acc"]
test_err = dev_error(net, X_test, y_test)
print(f"Bayes err {BAYES_ERR:.3f} | train err {train_err:.4f} | dev err {dev_err:.4f} | test err {test_err:.4f}")
print(f"train loss {train_loss:.5f}  dev loss {valid_loss:.5f}")
print("CORPUS_METRIC " + json.dumps({"train_err": round(train_err, 4), "dev_err": round(dev_err, 4),
                                     "test_err": round(test_err, 4), "bayes_err": BAYES_ERR,
                                     "train_loss": round(float(train_loss), 5),
                                     "val_loss": round(float(valid_loss), 5),
                                     "val_acc": round(1 - dev_err, 4), "chance_acc": 0.5}))
