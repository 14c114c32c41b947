# expect: non_finite
# allow: exploding_gradients, non_convergence
# forbid: *
# evidence: planted (naive log(sigmoid)) train/valid loss NaN from epoch 3 on, all test logits NaN, test_acc 0.503 (chance 0.503); control (binary_cross_entropy_with_logits) test_acc 0.973, test_loss 0.085, no NaN
# control: --control
# native-log: churn_bin/history.json
# log-expect: non_finite
# log-allow: non_convergence
"""skorch NeuralNetBinaryClassifier with a hand-written binary cross-entropy criterion (someone
wanted per-sample control and re-implemented the textbook formula):
    -(y * log(sigmoid(z)) + (1 - y) * log(1 - sigmoid(z)))
On an easy, nearly separable problem the logits of confident examples grow past ~17, where
float32 sigmoid(z) rounds to exactly 1.0: log(1 - 1) = -inf and (1 - y) * -inf = 0 * inf = NaN
for the positive examples. One NaN batch loss backpropagates NaN into every weight and the
rest of training is NaN. --control: the numerically stable formulation of the very same loss,
F.binary_cross_entropy_with_logits (nothing else changed).
"""
import argparse
import json
import os
import tempfile
import warnings

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F
from skorch import NeuralNetBinaryClassifier

warnings.filterwarnings("ignore")


class HandBCE(nn.Module):
    def __init__(self, stable=False):
        super().__init__()
        self.stable = stable

    def forward(self, z, y):
        if self.stable:
            return F.binary_cross_entropy_with_logits(z, y)
        p = torch.sigmoid(z)
        return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


class Net(nn.Module):
    def __init__(self, n_in=16, hidden=64):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(n_in, hidden), nn.ReLU(), nn.Linear(hidden, hidden),
                                  nn.ReLU(), nn.Linear(hidden, 1))

    def forward(self, X):
        return self.body(X).squeeze(-1)


def sigmoid_2d(z):
    # skorch only adds this automatically for its default BCEWithLogitsLoss criterion
    p = torch.sigmoid(z)
    return torch.stack([1 - p, p], dim=1)


def make_data(n, rng, w):
    x = rng.standard_normal((n, 16)).astype("float32")
    y = ((x @ w + 0.2 * rng.standard_normal(n)) > 0).astype("float32")
    return x, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(18)
    rng = np.random.default_rng(18)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="churnbin_")
    os.makedirs(os.path.join(log_dir, "churn_bin"), exist_ok=True)

    w = rng.standard_normal(16)
    xtr, ytr = make_data(2000, rng, w)
    xte, yte = make_data(1000, rng, w)

    net = NeuralNetBinaryClassifier(Net, criterion=HandBCE, criterion__stable=a.control,
                                    optimizer=torch.optim.Adam, lr=2e-3, batch_size=32,
                                    max_epochs=20, predict_nonlinearity=sigmoid_2d, verbose=0)
    net.fit(xtr, ytr)
    net.save_params(f_history=os.path.join(log_dir, "churn_bin", "history.json"))

    with torch.no_grad():
        z = net.module_(torch.tensor(xte))
    nan_frac = float(torch.isnan(z).float().mean())
    acc = float(((z > 0).float().numpy() == yte).mean())  # NaN logits count as wrong
    stable_loss = float(F.binary_cross_entropy_with_logits(z, torch.tensor(yte)))
    nan_epoch = next((e["epoch"] for e in net.history if not np.isfinite(e["train_loss"])), None)
    print("CORPUS_METRIC " + json.dumps({
        "test_acc": round(acc, 4), "test_loss": stable_loss if np.isfinite(stable_loss) else None,
        "test_logit_nan_frac": round(nan_frac, 4), "first_nan_epoch": nan_epoch,
        "chance_acc": round(float(max(yte.mean(), 1 - yte.mean())), 4)}))


if __name__ == "__main__":
    main()
