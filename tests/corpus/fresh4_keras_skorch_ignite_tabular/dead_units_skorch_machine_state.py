# expect: dead_units
# allow: high_bias, non_convergence, vanishing_gradients
# forbid: *
# evidence: planted (hidden biases initialised to -2) 74% of layer-2 and 100% of layer-3 ReLUs never fire on held-out data, test acc 0.254 = majority 0.254, loss flat at 1.72; control (--control, zero bias init) 0-0.8% dead, test acc 0.806
# control: --control
# native-log: history.json
# log-expect:
# log-allow: high_bias, non_convergence
"""Classify the operating state of a CNC spindle (6 states) from 16 condition-monitoring features."""
import argparse
import json
import os
import tempfile

import numpy as np
import torch
from torch import nn
from skorch import NeuralNetClassifier
from skorch.callbacks import EpochScoring, LRScheduler
from skorch.dataset import ValidSplit

torch.set_num_threads(1)

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true", help="zero bias init instead of the negative one")
parser.add_argument("--bias-init", type=float, default=None)
args = parser.parse_args()
BIAS_INIT = args.bias_init if args.bias_init is not None else (0.0 if args.control else -2.0)


class SpindleNet(nn.Module):
    """MLP whose hidden biases start negative -- "sparse activations from the start"."""

    def __init__(self, n_in=16, hidden=128, n_out=6, bias_init=0.0):
        super().__init__()
        self.fc1 = nn.Linear(n_in, hidden)
        self.fc2 = nn.Linear(hidden, hidden)
        self.fc3 = nn.Linear(hidden, hidden)
        self.head = nn.Linear(hidden, n_out)
        self.act = nn.ReLU()
        for fc in (self.fc1, self.fc2, self.fc3):
            nn.init.kaiming_normal_(fc.weight, nonlinearity="relu")
            nn.init.constant_(fc.bias, bias_init)

    def forward(self, x):
        h = self.act(self.fc1(x))
        h = self.act(self.fc2(h))
        h = self.act(self.fc3(h))
        return self.head(h)


def spindle_data(n, seed):
    r = np.random.default_rng(seed)
    X = r.normal(size=(n, 16))
    score = np.stack([X[:, 0] + X[:, 1] * X[:, 2], X[:, 3] - X[:, 4], np.abs(X[:, 5]) - 0.8, X[:, 6] * X[:, 7],
                      0.8 * X[:, 8] + 0.5 * X[:, 9] ** 2 - 0.5, -X[:, 0] - X[:, 3]], 1)
    y = np.argmax(score + r.gumbel(0, 0.15, score.shape), 1)
    return X.astype(np.float32), y.astype(np.int64)


torch.manual_seed(17)
X, y = spindle_data(4000, 17)
X_test, y_test = spindle_data(1000, 18)

net = NeuralNetClassifier(
    SpindleNet,
    module__bias_init=BIAS_INIT,
    optimizer=torch.optim.Adam,
    lr=1e-3,
    max_epochs=12,
    batch_size=64,
    criterion=nn.CrossEntropyLoss,
    train_split=ValidSplit(5, stratified=True),
    callbacks=[EpochScoring("accuracy", on_train=True, name="train_acc", lower_is_better=False),
               LRScheduler(policy="StepLR", step_size=6, gamma=0.3)],
    iterator_train__shuffle=True,
    verbose=0,
)
net.fit(X, y)
net.history.to_file(os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "history.json"))

# probe: fraction of hidden ReLUs that are zero for every held-out example
m = net.module_.eval()
with torch.no_grad():
    xt = torch.tensor(X_test)
    h1 = m.act(m.fc1(xt)); h2 = m.act(m.fc2(h1)); h3 = m.act(m.fc3(h2))
dead = [float((h.max(0).values <= 0).float().mean()) for h in (h1, h2, h3)]
test_acc = float((net.predict(X_test) == y_test).mean())
print(f"bias_init={BIAS_INIT}: dead fraction per layer {[round(d, 3) for d in dead]}, test acc {test_acc:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_acc": round(test_acc, 4), "val_loss": round(float(net.history[-1, "valid_loss"]), 4),
                                      "train_loss": round(float(net.history[-1, "train_loss"]), 4),
                                      "dead_fraction_per_layer": [round(d, 3) for d in dead],
                                      "chance_acc": round(float(np.bincount(y_test).max() / len(y_test)), 4)}))
