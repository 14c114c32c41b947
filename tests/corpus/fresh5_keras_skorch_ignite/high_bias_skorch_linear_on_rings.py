"""skorch: classifying points on concentric noisy rings (3 classes, 2-D + 4 nuisance dims).

Planted: the "model" is a single nn.Linear (multinomial logistic regression) left in from a
baseline experiment; the classes are radial, so a linear boundary cannot separate them.
--control swaps in a 2x64 ReLU MLP (everything else identical).
"""
# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: control (MLP) train_acc 0.97, train_loss 0.07, test acc 0.955; planted (linear) train_acc 0.35, train_loss 1.10 (ln 3 = 1.10), test acc 0.29 (chance 0.33)
# control: --control
# native-log: rings_history.json
# log-expect:
# log-allow: high_bias, non_convergence
import os
import sys
import json
import tempfile

import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(2)
from skorch import NeuralNetClassifier
from skorch.callbacks import EarlyStopping

CONTROL = "--control" in sys.argv
logs = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(logs, exist_ok=True)

rs = np.random.RandomState(21)
n = 3600
y = rs.randint(0, 3, n)
radius = 1.0 + y + rs.normal(0, 0.25, n)
ang = rs.uniform(0, 2 * np.pi, n)
X = np.column_stack([radius * np.cos(ang), radius * np.sin(ang), rs.normal(0, 1, (n, 4))])
X = ((X - X.mean(0)) / X.std(0)).astype(np.float32)
y = y.astype(np.int64)
X_tr, y_tr, X_te, y_te = X[:3000], y[:3000], X[3000:], y[3000:]


def build():
    if CONTROL:
        return nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3))
    return nn.Linear(6, 3)  # baseline left in


clf = NeuralNetClassifier(build(), criterion=nn.CrossEntropyLoss, optimizer=torch.optim.Adam, lr=3e-3,
                          max_epochs=25, batch_size=64, callbacks=[EarlyStopping(patience=5)], verbose=0)
clf.fit(X_tr, y_tr)
clf.history.to_file(os.path.join(logs, "rings_history.json"))
for r in clf.history[::5]:
    print(f"epoch {r['epoch']:2d} train_loss {r['train_loss']:.4f} valid_acc {r['valid_acc']:.3f}")
p_te = clf.predict_proba(X_te)
p_tr = clf.predict_proba(X_tr)
print("CORPUS_METRIC " + json.dumps({
    "val_acc": round(float((p_te.argmax(1) == y_te).mean()), 4),
    "val_loss": round(float(-np.log(p_te[np.arange(len(y_te)), y_te]).mean()), 4),
    "train_acc": round(float((p_tr.argmax(1) == y_tr).mean()), 4),
    "train_loss": round(float(clf.history[-1, "train_loss"]), 4), "chance_acc": 0.3333}))
