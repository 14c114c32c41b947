"""skorch: sklearn Pipeline(StandardScaler -> NeuralNetClassifier) on mixed-scale tabular data.

Credit-risk-like features (income, age, balances, ratios) in their raw units, scaled by the
pipeline's StandardScaler. SGD with Nesterov momentum, StepLR, EarlyStopping, a stratified
internal ValidSplit; the skorch history is written with net.history.to_file.
"""
# expect:
# allow:
# forbid: *
# evidence: held-out test acc 0.93, test loss 0.34 on a 4-class problem (majority 0.40; ~4% effective label noise); skorch valid_acc 0.95, train_loss 0.25
# native-log: skorch_history.json
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
torch.manual_seed(0)
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
from skorch import NeuralNetClassifier
from skorch.callbacks import EarlyStopping, LRScheduler
from skorch.dataset import ValidSplit

out_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="skorch_")
os.makedirs(out_dir, exist_ok=True)

rng = np.random.RandomState(4)
n = 5000
income = rng.lognormal(10.5, 0.5, n)
age = rng.uniform(18, 80, n)
balance = rng.gamma(2.0, 3000, n)
util = rng.beta(2, 5, n)
late = rng.poisson(0.8, n)
noise_cols = rng.normal(0, 1, (n, 5))
z1 = np.log(income) - 10.5 + 0.02 * (age - 45) - 1.5 * util
z2 = 0.6 * late - 0.0001 * (balance - 6000) + 0.4 * noise_cols[:, 0]
cls = (z1 > 0).astype(int) * 2 + (z2 > 0.3).astype(int)
flip = rng.rand(n) < 0.05
cls[flip] = rng.randint(0, 4, flip.sum())
X = np.column_stack([income, age, balance, util, late, noise_cols]).astype(np.float32)
y = cls.astype(np.int64)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)


class TabularNet(nn.Module):
    def __init__(self, d_in=10, hidden=64, n_classes=4, p=0.1):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(d_in, hidden), nn.ReLU(), nn.Dropout(p),
                                  nn.Linear(hidden, hidden), nn.ReLU())
        self.out = nn.Linear(hidden, n_classes)

    def forward(self, X):
        return self.out(self.body(X))


net = NeuralNetClassifier(
    TabularNet,
    criterion=nn.CrossEntropyLoss,
    optimizer=torch.optim.SGD,
    optimizer__momentum=0.9,
    optimizer__nesterov=True,
    lr=0.05,
    max_epochs=30,
    batch_size=64,
    train_split=ValidSplit(0.2, stratified=True, random_state=0),
    callbacks=[LRScheduler(policy="StepLR", step_size=10, gamma=0.3),
               EarlyStopping(monitor="valid_loss", patience=6)],
    iterator_train__shuffle=True,
    verbose=1,
)
pipe = Pipeline([("scale", StandardScaler()), ("net", net)])
pipe.fit(X_train, y_train)
pipe.named_steps["net"].history.to_file(os.path.join(out_dir, "skorch_history.json"))

proba = pipe.predict_proba(X_test)
test_acc = float((proba.argmax(1) == y_test).mean())
test_loss = float(-np.log(proba[np.arange(len(y_test)), y_test] + 1e-12).mean())
h = pipe.named_steps["net"].history
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(test_loss, 4), "val_acc": round(test_acc, 4),
    "train_loss": round(float(h[-1, "train_loss"]), 4),
    "chance_acc": round(float(np.bincount(y_test).max() / len(y_test)), 4)}))
