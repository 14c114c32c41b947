# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (150 epochs, no early stopping) test_loss 1.84, test_acc 0.733, train loss 0.000, valid loss 0.46 (best, epoch ~3) -> 1.21 (final); control (EarlyStopping load_best) test_loss 0.55 (-70%), test_acc 0.743
# control: --control
# native-log: clinic/history.json
# log-expect: overfitting
# log-allow: high_variance
"""A small clinical-style tabular dataset (160 patients, 30 standardised features of which 6
matter, ~10% noisy labels) fitted by a wide 2x256 skorch NeuralNetClassifier with Adam for a
fixed 150 epochs and no regularisation or early stopping -- the epoch count was copied from a
run on a 50x larger dataset. The network memorises the training set (train loss -> ~0) while
the validation loss bottoms out after a few epochs and then climbs steadily.
--control: the same net and schedule with skorch's EarlyStopping(valid_loss, patience=8,
load_best=True), i.e. training is not continued past the validation optimum.
"""
import argparse
import json
import os
import tempfile
import warnings

import numpy as np
import torch
from torch import nn
from skorch import NeuralNetClassifier
from skorch.callbacks import EarlyStopping

warnings.filterwarnings("ignore")


class WideMLP(nn.Module):
    def __init__(self, n_in=30, hidden=256):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(n_in, hidden), nn.ReLU(), nn.Linear(hidden, hidden),
                                  nn.ReLU(), nn.Linear(hidden, 2))

    def forward(self, X):
        return self.body(X)


def make_patients(n, rng, w):
    x = rng.standard_normal((n, 30)).astype("float32")
    s = x[:, :6] @ w + 0.5 * x[:, 0] * x[:, 1]
    y = (s > 0).astype("int64")
    flip = rng.random(n) < 0.1
    y[flip] = 1 - y[flip]
    return x, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(17)
    rng = np.random.default_rng(17)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="clinic_")
    os.makedirs(os.path.join(log_dir, "clinic"), exist_ok=True)

    w = rng.standard_normal(6)
    xtr, ytr = make_patients(200, rng, w)   # 160 train / 40 valid via skorch's ValidSplit(5)
    xte, yte = make_patients(2000, rng, w)

    cbs = [EarlyStopping(monitor="valid_loss", patience=8, load_best=True)] if a.control else []
    net = NeuralNetClassifier(WideMLP, criterion=nn.CrossEntropyLoss, optimizer=torch.optim.Adam,
                              lr=2e-3, batch_size=32, max_epochs=150, callbacks=cbs, verbose=0)
    net.fit(xtr, ytr)
    net.save_params(f_history=os.path.join(log_dir, "clinic", "history.json"))

    proba = net.predict_proba(xte)
    te_loss = float(nn.functional.nll_loss(torch.log(torch.tensor(proba) + 1e-9), torch.tensor(yte)))
    h = net.history
    print("CORPUS_METRIC " + json.dumps({
        "test_loss": round(te_loss, 4), "test_acc": round(float((proba.argmax(1) == yte).mean()), 4),
        "final_train_loss": round(float(h[-1, "train_loss"]), 4),
        "best_valid_loss": round(float(min(h[:, "valid_loss"])), 4),
        "final_valid_loss": round(float(h[-1, "valid_loss"]), 4), "epochs_run": len(h),
        "chance_acc": round(float(max(yte.mean(), 1 - yte.mean())), 4), "bayes_acc_approx": 0.9}))


if __name__ == "__main__":
    main()
