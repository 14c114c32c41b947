# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, non_finite, dead_units
# forbid: *
# evidence: planted (SGD lr=10) train_loss 14.4 then oscillating 1.5-2.7 (above ln3=1.10), valid_loss 1.1-88, val_acc 0.373 = majority rate; control (lr=0.1) val_loss 0.082, val_acc 0.98
# control: --control
# native-log: history.json
# log-expect: learning_rate_too_high
# log-allow: non_convergence, exploding_gradients
"""skorch classifier, plain SGD at lr=10 (a typo for 0.1)."""
import argparse
import json
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
from skorch import NeuralNetClassifier
from skorch.dataset import ValidSplit

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true")
parser.add_argument("--epochs", type=int, default=20)
args = parser.parse_args()
torch.set_num_threads(1)

rng = np.random.default_rng(0)
W = rng.normal(size=(20, 3))
X = rng.normal(size=(1500, 20)).astype("float32")
y = np.argmax(np.tanh(X @ W / 2), axis=1).astype("int64")


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(20, 64)
        self.fc2 = nn.Linear(64, 64)
        self.out = nn.Linear(64, 3)

    def forward(self, X):
        return self.out(torch.relu(self.fc2(torch.relu(self.fc1(X)))))


torch.manual_seed(0)
net = NeuralNetClassifier(Net, criterion=nn.CrossEntropyLoss, optimizer=torch.optim.SGD,
                          lr=0.1 if args.control else 10.0, max_epochs=args.epochs, batch_size=64,
                          iterator_train__shuffle=True,
                          train_split=ValidSplit(0.2, stratified=True, random_state=0), verbose=0)
net.fit(X, y)

logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(logdir, exist_ok=True)
net.history.to_file(os.path.join(logdir, "history.json"))
h = net.history
print("train_loss", " ".join(f"{v:.3f}" for v in h[:, "train_loss"]))
print("valid_loss", " ".join(f"{v:.3f}" for v in h[:, "valid_loss"]))
print("CORPUS_METRIC " + json.dumps({"lr": net.lr, "val_loss": round(h[-1, "valid_loss"], 4),
                                     "val_acc": round(h[-1, "valid_acc"], 4),
                                     "train_loss": round(h[-1, "train_loss"], 4),
                                     "majority_acc": round(float(np.bincount(y).max() / len(y)), 4)}))
