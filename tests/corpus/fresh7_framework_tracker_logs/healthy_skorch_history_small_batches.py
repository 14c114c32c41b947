# expect:
# allow:
# forbid: *
# evidence: valid_acc 0.76 -> 0.90 (best) ending 0.89 on skorch split; held-out val_acc 0.88, val_loss 0.30, train_loss 0.20 (majority rate 0.35)
# native-log: skorch_history.json
# log-expect:
# log-allow:
"""Healthy: skorch NeuralNetClassifier (small noisy batches of 16, SGD+Nesterov lr 0.02,
weight decay) on a synthetic 3-class "wine quality" tabular problem with standardised features;
skorch's internal 20% validation split, history saved with net.history.to_file(...)
(train_loss, valid_loss, valid_acc per epoch plus per-batch losses). Nothing planted."""
import os, sys, json, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
torch.set_num_threads(1)
torch.manual_seed(4)
from skorch import NeuralNetClassifier
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

rng = np.random.default_rng(4)
def make(n):
    x = rng.normal(0, 1, (n, 11))
    score = 1.2 * x[:, 0] - 0.8 * x[:, 3] + 0.6 * x[:, 5] * x[:, 6] + 0.7 * np.sin(2 * x[:, 9]) + rng.normal(0, 0.15, n)
    y = np.digitize(score, [-0.7, 0.7])
    return x.astype("float32"), y.astype("int64")
X, y = make(4000); Xte, yte = make(800)

class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(11, 96), nn.ReLU(), nn.Linear(96, 96), nn.ReLU(), nn.Linear(96, 3))
    def forward(self, x): return self.f(x)

net = NeuralNetClassifier(MLP, criterion=nn.CrossEntropyLoss, optimizer=torch.optim.SGD, lr=0.02,
                          optimizer__momentum=0.9, optimizer__nesterov=True, optimizer__weight_decay=1e-3,
                          max_epochs=15, batch_size=16, iterator_train__shuffle=True, verbose=0, device="cpu")
net.fit(X, y)
net.history.to_file(os.path.join(LOGDIR, "skorch_history.json"))
p = net.predict_proba(Xte); pt = net.predict_proba(X)
vl = float(-np.log(p[np.arange(len(yte)), yte] + 1e-12).mean()); tl = float(-np.log(pt[np.arange(len(y)), y] + 1e-12).mean())
print("valid_acc per epoch", [round(h["valid_acc"], 3) for h in net.history])
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(float((p.argmax(1) == yte).mean()), 4), "train_loss": round(tl, 4), "chance_acc": round(float(np.bincount(yte).max() / len(yte)), 4)}))
