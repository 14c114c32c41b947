# expect:
# allow:
# forbid: *
# evidence: held-out test accuracy 0.986 (log-loss 0.047) vs 0.998 for an RBF-SVM given only the 2 informative columns (chance 0.25); skorch valid_loss 0.044 tracks train_loss 0.033 throughout
# native-log: history.json
# log-expect:
# log-allow:
"""skorch NeuralNetClassifier inside a scikit-learn Pipeline (StandardScaler -> float32 -> net).

Data: 4-class "interleaved moons" in 2-D plus 3 nuisance features on wildly different scales
(which the scaler takes care of). Adam + StepLR, skorch's internal 20% validation split, accuracy
scored each epoch, history saved with save_params(f_history=...).
"""
import json
import os
import tempfile

import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(0)

from sklearn.datasets import make_moons
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from skorch import NeuralNetClassifier
from skorch.callbacks import EpochScoring, LRScheduler
from skorch.dataset import ValidSplit

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="skorch_moons_")
os.makedirs(LOG_DIR, exist_ok=True)
rng = np.random.default_rng(0)


def sample(n, seed):
    xa, ya = make_moons(n // 2, noise=0.12, random_state=seed)
    xb, yb = make_moons(n // 2, noise=0.12, random_state=seed + 1000)
    xb = xb @ np.array([[0.0, -1.0], [1.0, 0.0]]) + np.array([0.5, 3.5])
    x2 = np.vstack([xa, xb])
    y = np.concatenate([ya, yb + 2])
    nuisance = rng.normal(size=(n, 3)) * np.array([1e3, 1e-2, 5e4])
    return np.hstack([x2 * np.array([100.0, 0.01]), nuisance]), y.astype(np.int64)


x_train, y_train = sample(2400, 0)
x_test, y_test = sample(1000, 1)


class MLP(nn.Module):
    def __init__(self, d_in=5, hidden=64, n_out=4):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(d_in, hidden), nn.ReLU(), nn.Linear(hidden, hidden),
                                 nn.ReLU(), nn.Linear(hidden, n_out))

    def forward(self, x):
        return self.net(x)


net = NeuralNetClassifier(
    MLP,
    criterion=nn.CrossEntropyLoss,
    optimizer=torch.optim.Adam,
    lr=3e-3,
    max_epochs=40,
    batch_size=64,
    train_split=ValidSplit(0.2, stratified=True, random_state=0),
    callbacks=[EpochScoring("accuracy", lower_is_better=False, on_train=False, name="valid_acc_sk"),
               LRScheduler(policy=torch.optim.lr_scheduler.StepLR, step_size=15, gamma=0.3)],
    iterator_train__shuffle=True,
    device="cpu",
    verbose=0,
)
pipe = Pipeline([
    ("scale", StandardScaler()),
    ("f32", FunctionTransformer(lambda a: a.astype(np.float32))),
    ("net", net),
])
pipe.fit(x_train, y_train)
net.save_params(f_history=os.path.join(LOG_DIR, "history.json"))

proba = pipe.predict_proba(x_test)
test_acc = float((proba.argmax(1) == y_test).mean())
test_loss = float(-np.log(np.clip(proba[np.arange(len(y_test)), y_test], 1e-12, None)).mean())
# reference: an RBF-SVM that is told which 2 columns matter (an oracle feature selection)
from sklearn.svm import SVC
ref = Pipeline([("scale", StandardScaler()), ("svc", SVC(C=10.0))]).fit(x_train[:, :2], y_train)
ref_acc = float(ref.score(x_test[:, :2], y_test))
h = net.history
metric = {"val_loss": round(test_loss, 4), "val_acc": round(test_acc, 4),
          "train_loss": round(float(h[-1, "train_loss"]), 4),
          "skorch_valid_loss": round(float(h[-1, "valid_loss"]), 4), "chance_acc": 0.25,
          "oracle_svm_acc": round(ref_acc, 4)}
print("CORPUS_METRIC " + json.dumps(metric))
