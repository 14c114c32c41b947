# expect: dead_units
# allow: poor_initialization, non_convergence, high_bias, vanishing_gradients
# forbid: *
# evidence: planted (hidden biases -1.0) test_acc 0.258 (chance 0.275), loss 1.385 = ln4; probe: 0% / 100% / 100% of units in hidden layers 1/2/3 never fire on the test set; control (default init) test_acc 0.902, loss 0.235, dead 0% / 0% / 11%
# control: --control
# native-log: sensor/history.json
# log-expect:
# log-allow: non_convergence, high_bias, learning_rate_too_low
"""skorch NeuralNetClassifier whose module has an init_weights() that sets every hidden bias to
-1.0 (copied from a 'sparse activations' trick; the weights keep PyTorch's default
kaiming-uniform init). Inputs are standardised, so layer-1 pre-activations have std ~0.6: only a
few percent of layer-1 units fire, and layers 2-3 (whose inputs are now tiny and sparse) are
almost all below zero for every example -- ReLUs that never fire pass no gradient, so the
network output is (nearly) constant and the loss stays at ln 4. A probe counts, per hidden layer, the
fraction of units that are zero on every held-out example.
--control: the same module without the bias override (PyTorch default init).
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

warnings.filterwarnings("ignore")


class SensorNet(nn.Module):
    def __init__(self, n_in=20, hidden=64, n_out=4, sparse_bias=True):
        super().__init__()
        self.l1, self.l2, self.l3 = nn.Linear(n_in, hidden), nn.Linear(hidden, hidden), nn.Linear(hidden, hidden)
        self.out = nn.Linear(hidden, n_out)
        if sparse_bias:
            for layer in (self.l1, self.l2, self.l3):
                nn.init.constant_(layer.bias, -1.0)

    def hidden(self, X):
        h1 = torch.relu(self.l1(X))
        h2 = torch.relu(self.l2(h1))
        h3 = torch.relu(self.l3(h2))
        return h1, h2, h3

    def forward(self, X):
        return self.out(self.hidden(X)[-1])


def make_sensor(n, rng, w1, w2):
    # 4 regimes = quadrant of two latent directions (cones: not linearly separable one-vs-rest)
    x = rng.standard_normal((n, 20)).astype("float32")
    a = x @ w1 + 0.1 * rng.standard_normal(n)
    b = x @ w2 + 0.1 * rng.standard_normal(n)
    y = (2 * (a > 0) + (b > 0)).astype("int64")
    return x, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(19)
    rng = np.random.default_rng(19)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="sensor_")
    os.makedirs(os.path.join(log_dir, "sensor"), exist_ok=True)

    w1, w2 = rng.standard_normal(20) / np.sqrt(20), rng.standard_normal(20) / np.sqrt(20)
    xtr, ytr = make_sensor(2000, rng, w1, w2)
    xte, yte = make_sensor(1000, rng, w1, w2)

    net = NeuralNetClassifier(SensorNet, module__sparse_bias=not a.control,
                              criterion=nn.CrossEntropyLoss, optimizer=torch.optim.Adam, lr=1e-3,
                              batch_size=64, max_epochs=12, verbose=0)
    net.fit(xtr, ytr)
    net.save_params(f_history=os.path.join(log_dir, "sensor", "history.json"))

    with torch.no_grad():
        hs = net.module_.hidden(torch.tensor(xte))
    dead = [round(float((h.max(0).values <= 0).float().mean()), 3) for h in hs]
    proba = net.predict_proba(xte)
    te_loss = float(nn.functional.nll_loss(torch.log(torch.tensor(proba) + 1e-9), torch.tensor(yte)))
    print("CORPUS_METRIC " + json.dumps({
        "test_acc": round(float((proba.argmax(1) == yte).mean()), 4), "test_loss": round(te_loss, 4),
        "final_train_loss": round(float(net.history[-1, "train_loss"]), 4),
        "dead_frac_per_layer": dead,
        "chance_acc": round(float(np.bincount(yte).max() / len(yte)), 4)}))


if __name__ == "__main__":
    main()
