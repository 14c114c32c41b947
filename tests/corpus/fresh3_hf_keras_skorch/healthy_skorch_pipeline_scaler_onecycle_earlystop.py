# expect:
# allow:
# forbid: *
# evidence: test_acc 0.947, test_loss 0.147 (chance 0.28); early stop at epoch 17, best (epoch 12) weights restored
# native-log: wine_pipeline/history.json
# log-expect:
# log-allow:
"""sklearn Pipeline(StandardScaler -> skorch NeuralNetClassifier) on a synthetic 'wine quality'
style 4-class tabular task whose raw features have very different units (the scaler handles
that). skorch's default 20% stratified ValidSplit, AdamW, an LRScheduler with a OneCycleLR
policy stepped per batch, and EarlyStopping(valid_loss, patience 5, load_best=True). The valid
loss bottoms out around epoch 12 and creeps up for the 5 patience epochs before training stops;
the best weights are restored, so the final model is the epoch-12 one. History saved with
net.save_params(f_history=...).
"""
import json
import os
import tempfile
import warnings

import numpy as np
import torch
from torch import nn
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from skorch import NeuralNetClassifier
from skorch.callbacks import EarlyStopping, LRScheduler

warnings.filterwarnings("ignore")


class MLP(nn.Module):
    def __init__(self, n_in=11, hidden=64, n_out=4):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(n_in, hidden), nn.ReLU(), nn.Linear(hidden, hidden),
                                 nn.ReLU(), nn.Linear(hidden, n_out))

    def forward(self, X):
        return self.net(X)


def make_wine(n, rng, w):
    z = rng.standard_normal((n, 11))
    scales = np.array([1, 0.1, 0.05, 15, 0.02, 10, 40, 0.003, 0.15, 0.2, 1.2])
    offs = np.array([8, 0.5, 0.3, 6, 0.08, 30, 110, 0.996, 3.3, 0.6, 10.5])
    raw = (offs + scales * z).astype("float32")
    s = z @ w + 0.5 * np.sin(2 * z[:, :1]) + 0.3 * rng.standard_normal((n, 4))
    return raw, s.argmax(1).astype("int64")


def main():
    torch.set_num_threads(1)
    torch.manual_seed(14)
    rng = np.random.default_rng(14)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="wine_")
    os.makedirs(os.path.join(log_dir, "wine_pipeline"), exist_ok=True)

    w = rng.standard_normal((11, 4))
    xtr, ytr = make_wine(2000, rng, w)
    xte, yte = make_wine(1000, rng, w)

    max_epochs = 25
    steps = int(np.ceil(0.8 * len(ytr) / 64))
    net = NeuralNetClassifier(
        MLP, criterion=nn.CrossEntropyLoss, optimizer=torch.optim.AdamW, lr=3e-3,
        optimizer__weight_decay=1e-2, batch_size=64, max_epochs=max_epochs,
        callbacks=[LRScheduler(policy=torch.optim.lr_scheduler.OneCycleLR, max_lr=4e-3, total_steps=max_epochs * steps + 5,
                               step_every="batch"),
                   EarlyStopping(monitor="valid_loss", patience=5, load_best=True)],
        verbose=0)
    pipe = Pipeline([("scale", StandardScaler()), ("net", net)])
    pipe.fit(xtr, ytr)
    net.save_params(f_history=os.path.join(log_dir, "wine_pipeline", "history.json"))

    proba = pipe.predict_proba(xte)
    te_loss = float(nn.functional.nll_loss(torch.log(torch.tensor(proba) + 1e-9), torch.tensor(yte)))
    print("CORPUS_METRIC " + json.dumps({
        "test_acc": round(float((proba.argmax(1) == yte).mean()), 4), "test_loss": round(te_loss, 4),
        "train_acc": round(float((pipe.predict(xtr) == ytr).mean()), 4),
        "epochs_run": len(net.history), "chance_acc": round(float(np.bincount(yte).max() / len(yte)), 4)}))


if __name__ == "__main__":
    main()
