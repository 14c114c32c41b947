# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: control (2000 rows) held-out val_acc 0.89, val_loss 0.58; planted (160 rows) train_acc 0.96 / train_loss 0.006 at epoch 30 while skorch valid_loss climbs 0.37 (epoch 5) -> 0.74 and held-out val_acc is 0.76, val_loss 1.25 (majority 0.55)
# control: --control
# native-log: skorch_history.json
# log-expect: overfitting
# log-allow: high_variance
"""Planted overfitting: skorch NeuralNetClassifier, a wide 2x256 MLP with no regularisation
trained for 60 epochs on only 160 labelled customers of a synthetic churn problem (12 features,
~8% label noise); skorch's 20% internal validation split; history saved via
net.history.to_file. --control trains the identical net/schedule on 3000 customers instead
of 160 (only the amount of data changes)."""
import os, sys, json, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
torch.set_num_threads(1)
torch.manual_seed(5)
from skorch import NeuralNetClassifier
CONTROL = "--control" in sys.argv
N = 2000 if CONTROL else 160
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

rng = np.random.default_rng(5)
w = rng.normal(0, 1, 12)
def make(n):
    x = rng.normal(0, 1, (n, 12))
    s = x @ w / 2 + 0.8 * x[:, 0] * x[:, 1] + 0.3
    y = (s > 0).astype("int64")
    flip = rng.random(n) < 0.03; y[flip] = 1 - y[flip]
    return x.astype("float32"), y
X, y = make(N); Xte, yte = make(1000)

class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(12, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 2))
    def forward(self, x): return self.f(x)

net = NeuralNetClassifier(MLP, criterion=nn.CrossEntropyLoss, optimizer=torch.optim.Adam, lr=2e-3,
                          max_epochs=30, batch_size=32, iterator_train__shuffle=True, verbose=0)
net.fit(X, y)
net.history.to_file(os.path.join(LOGDIR, "skorch_history.json"))
H = net.history
print("epoch train_loss valid_loss valid_acc:", [(h["epoch"], round(h["train_loss"], 3), round(h["valid_loss"], 3), round(h["valid_acc"], 3)) for h in H if h["epoch"] in (1, 5, 10, 15, 20, 30)])
p = net.predict_proba(Xte); pt = net.predict_proba(X)
vl = float(-np.log(p[np.arange(len(yte)), yte] + 1e-12).mean()); tl = float(-np.log(pt[np.arange(len(y)), y] + 1e-12).mean())
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(float((p.argmax(1) == yte).mean()), 4), "train_loss": round(tl, 4), "train_acc": round(float((pt.argmax(1) == y).mean()), 4), "chance_acc": round(float(max(yte.mean(), 1 - yte.mean())), 4), "n_train": N}))
