# expect:
# allow:
# forbid: *
# evidence: healthy; test val_acc 0.963 (chance 0.2), val_loss 0.11, train_loss 0.067
# native-log: skorch_history.json
# log-expect:
# log-allow:
# skorch NeuralNetClassifier on a 5-class Gaussian-blob-with-curvature task, internal 20% validation
# split, EarlyStopping + cosine LRScheduler callbacks. net.history.to_file() is the native log.
import os, json, tempfile
import numpy as np
import torch
from torch import nn
from skorch import NeuralNetClassifier
from skorch.callbacks import EarlyStopping, LRScheduler, EpochScoring
from skorch.dataset import ValidSplit

torch.set_num_threads(1)
torch.manual_seed(4); np.random.seed(4)
LOG = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG, exist_ok=True)

def blobs(n, rs):
    c = rs.normal(0, 2.5, (5, 12))
    y = rs.randint(0, 5, n)
    X = c[y] + rs.normal(0, 2.6, (n, 12))
    X[:, 0] += 0.3 * X[:, 1] ** 2
    return X.astype(np.float32), y.astype(np.int64)
X, y = blobs(3000, np.random.RandomState(0))
Xte, yte = X[2400:], y[2400:]; X, y = X[:2400], y[:2400]

class MLP(nn.Module):
    def __init__(self, hidden=96):
        super().__init__()
        self.seq = nn.Sequential(nn.Linear(12, hidden), nn.GELU(), nn.Linear(hidden, hidden), nn.GELU(), nn.Linear(hidden, 5))
    def forward(self, X):
        return self.seq(X)

net = NeuralNetClassifier(MLP, criterion=nn.CrossEntropyLoss, optimizer=torch.optim.AdamW, lr=2e-3,
                          optimizer__weight_decay=1e-3, max_epochs=25, batch_size=64, train_split=ValidSplit(0.2, random_state=0),
                          callbacks=[EarlyStopping(patience=5), LRScheduler("CosineAnnealingLR", T_max=25),
                                     EpochScoring("accuracy", name="train_acc", on_train=True)],
                          iterator_train__shuffle=True, verbose=0, device="cpu")
net.fit(X, y)
net.history.to_file(os.path.join(LOG, "skorch_history.json"))
proba = torch.tensor(net.predict_proba(Xte)); ptr = torch.tensor(net.predict_proba(X))
nll = lambda p, t: nn.functional.nll_loss(torch.log(p.clamp_min(1e-9)), torch.tensor(t)).item()
print("epochs:", len(net.history))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(nll(proba, yte), 4), "val_acc": round(float((proba.argmax(1).numpy() == yte).mean()), 4),
                                     "train_loss": round(nll(ptr, y), 4), "chance_acc": 0.2}))
