"""skorch: NeuralNetClassifier with SGD + momentum on a 6-class tabular problem.

Planted: the author wanted lr=1e-2 but wrote lr=1e-5 (mixing it up with the weight-decay value
from another config). In 25 epochs the net barely moves off its initial loss. --control uses 1e-2.
"""
# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: control (lr=1e-2) test acc 0.98, train_loss 0.06; planted (lr=1e-5) train_loss still 1.80 after 25 epochs (ln 6 = 1.79), test acc 0.20 (chance 0.17)
# control: --control
# native-log: history.json
# log-expect: non_convergence
# log-allow: learning_rate_too_low, high_bias
import os
import sys
import json
import tempfile

import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(0)
from skorch import NeuralNetClassifier

CONTROL = "--control" in sys.argv
LR = 1e-2 if CONTROL else 1e-5
d = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(d, exist_ok=True)

rs = np.random.RandomState(33)
n, k = 4000, 6
proto = rs.normal(0, 1.0, (k, 15))
y = rs.randint(0, k, n)
X = proto[y] + rs.normal(0, 1.0, (n, 15))
X[:, :5] = np.tanh(X[:, :5]) * 2
X = ((X - X.mean(0)) / X.std(0)).astype(np.float32)
y = y.astype(np.int64)
Xtr, ytr, Xte, yte = X[:3200], y[:3200], X[3200:], y[3200:]

module = nn.Sequential(nn.Linear(15, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, k))
net = NeuralNetClassifier(module, criterion=nn.CrossEntropyLoss, optimizer=torch.optim.SGD,
                          optimizer__momentum=0.9, lr=LR, max_epochs=25, batch_size=64, verbose=0)
net.fit(Xtr, ytr)
net.history.to_file(os.path.join(d, "history.json"))
for r in net.history[::5]:
    print(f"epoch {r['epoch']:2d} train {r['train_loss']:.4f} valid {r['valid_loss']:.4f} acc {r['valid_acc']:.3f}")
p = net.predict_proba(Xte)
print("CORPUS_METRIC " + json.dumps({
    "val_acc": round(float((p.argmax(1) == yte).mean()), 4),
    "val_loss": round(float(-np.log(p[np.arange(len(yte)), yte]).mean()), 4),
    "train_loss": round(float(net.history[-1, "train_loss"]), 4), "chance_acc": round(1 / k, 4)}))
