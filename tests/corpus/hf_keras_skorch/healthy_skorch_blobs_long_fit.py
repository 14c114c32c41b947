# expect:
# allow:
# forbid: *
# evidence: val_acc 1.000 (chance 0.20), valid_loss 1.19 -> 0.0005 decreasing every epoch, train_loss 0.0004
# native-log: history.json
# log-expect:
# log-allow:
"""skorch NeuralNetClassifier on 5 well-separated Gaussian blobs, Adam, 40 epochs:
the train loss goes to ~0 and the validation loss/accuracy stay at their best."""
import json
import os
import tempfile

import numpy as np
import torch
from torch import nn
from skorch import NeuralNetClassifier
from skorch.dataset import ValidSplit

torch.set_num_threads(1)


class MLP(nn.Module):
    def __init__(self, d_in=10, hidden=64, n_out=5):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(d_in, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                                  nn.Linear(hidden, n_out))

    def forward(self, X):
        return self.body(X)


def main():
    logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="skorch_blobs_")
    os.makedirs(logdir, exist_ok=True)
    rng = np.random.default_rng(8)
    centers = rng.normal(0, 2.5, size=(5, 10))
    y = rng.integers(0, 5, size=1500).astype(np.int64)
    X = (centers[y] + rng.normal(size=(1500, 10))).astype(np.float32)
    X = (X - X.mean(0)) / X.std(0)

    torch.manual_seed(8)
    net = NeuralNetClassifier(
        MLP, criterion=nn.CrossEntropyLoss, max_epochs=40, lr=1e-3, optimizer=torch.optim.Adam,
        batch_size=64, iterator_train__shuffle=True,
        train_split=ValidSplit(0.2, stratified=True, random_state=0), verbose=0)
    net.fit(X, y)
    net.history.to_file(os.path.join(logdir, "history.json"))

    h = net.history
    for e in (0, 4, 9, 19, 29, 39):
        print(f"epoch {e + 1:2d}  train_loss {h[e, 'train_loss']:.4f}  valid_loss {h[e, 'valid_loss']:.4f}  "
              f"valid_acc {h[e, 'valid_acc']:.3f}")
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(h[-1, "valid_loss"], 4), "val_acc": round(h[-1, "valid_acc"], 4),
        "best_val_loss": round(min(h[:, "valid_loss"]), 4), "train_loss": round(h[-1, "train_loss"], 4),
        "chance_acc": 0.2}))


if __name__ == "__main__":
    main()
