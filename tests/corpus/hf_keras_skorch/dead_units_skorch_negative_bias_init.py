# expect: dead_units
# allow: non_convergence, vanishing_gradients, poor_initialization, high_bias
# forbid: *
# evidence: planted (hidden biases -3) dead fraction 1.00 in both hidden layers, train_loss flat 1.094 (ln3=1.099), val_acc 0.38 = majority rate; control (default init) dead fraction 0.00, val_acc 0.963, val_loss 0.119
# control: --control
# native-log: history.json
# log-expect: non_convergence
# log-allow: non_convergence, learning_rate_too_low, high_bias
"""skorch classifier whose custom init sets every hidden ReLU bias to -3 ("to make the
activations sparse"). With standardised inputs and default-scale weights nearly every
unit is negative for every input, so the ReLUs are dead from step 0. --control keeps
PyTorch's default init."""
import json
import os
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn
from skorch import NeuralNetClassifier
from skorch.dataset import ValidSplit

torch.set_num_threads(1)
SPARSE_INIT = "--control" not in sys.argv


class SparseMLP(nn.Module):
    def __init__(self, d_in=20, width=64, n_classes=3):
        super().__init__()
        self.hidden1 = nn.Linear(d_in, width)
        self.hidden2 = nn.Linear(width, width)
        self.head = nn.Linear(width, n_classes)
        if SPARSE_INIT:
            for lin in (self.hidden1, self.hidden2):
                nn.init.constant_(lin.bias, -3.0)

    def forward(self, X):
        return self.head(torch.relu(self.hidden2(torch.relu(self.hidden1(X)))))


rng = np.random.default_rng(31)
W = rng.normal(size=(20, 3))
X = rng.normal(size=(1500, 20)).astype(np.float32)
y = np.argmax(np.tanh(X @ W / 2), axis=1).astype(np.int64)

torch.manual_seed(31)
net = NeuralNetClassifier(SparseMLP, criterion=nn.CrossEntropyLoss, optimizer=torch.optim.SGD,
                          optimizer__momentum=0.9, lr=0.01, max_epochs=20, batch_size=64,
                          iterator_train__shuffle=True,
                          train_split=ValidSplit(0.2, stratified=True, random_state=0), verbose=0)
net.fit(X, y)

logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(logdir, exist_ok=True)
net.history.to_file(os.path.join(logdir, "history.json"))

# probe: fraction of hidden ReLU units that never fire on any of the 1500 inputs
m = net.module_
with torch.no_grad():
    a1 = torch.relu(m.hidden1(torch.from_numpy(X)))
    a2 = torch.relu(m.hidden2(a1))
dead1 = float((a1.max(0).values <= 0).float().mean())
dead2 = float((a2.max(0).values <= 0).float().mean())
h = net.history
print("train_loss", " ".join(f"{v:.3f}" for v in h[:, "train_loss"]))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(h[-1, "valid_loss"], 4), "val_acc": round(h[-1, "valid_acc"], 4),
                                     "train_loss": round(h[-1, "train_loss"], 4), "dead_frac_hidden1": round(dead1, 3),
                                     "dead_frac_hidden2": round(dead2, 3),
                                     "majority_acc": round(float(np.bincount(y).max() / len(y)), 4)}))
