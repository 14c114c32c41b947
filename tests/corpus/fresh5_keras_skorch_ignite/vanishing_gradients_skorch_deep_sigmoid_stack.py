"""skorch: a 6-hidden-layer fully connected classifier built in a loop, activation chosen by a flag.

Planted: the hidden activation is nn.Sigmoid (the author reused a "probability-like hidden units"
helper), stacked 6 deep with the default init and plain SGD+momentum. The sigmoid derivative is
at most 0.25, so the gradient reaching the first layers is orders of magnitude smaller than at the
top, and the early layers barely train. --control uses nn.ReLU in the same stack.
"""
# expect: vanishing_gradients
# allow: non_convergence, high_bias, saturated_activations
# forbid: *
# evidence: control (ReLU) test acc 0.92, train_loss 0.16; planted (sigmoid) train_loss 1.39 after 15 epochs (ln 4 = 1.386), test acc 0.24 (majority 0.265); probe: median grad-norm ratio first/last Linear layer 1.4e-5 planted vs 2.1 control
# control: --control
# native-log: history.json
# log-expect: non_convergence
# log-allow: high_bias, vanishing_gradients
import os
import sys
import json
import tempfile

import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(10)
from skorch import NeuralNetClassifier
from skorch.callbacks import Callback

CONTROL = "--control" in sys.argv
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOGDIR, exist_ok=True)

rs = np.random.RandomState(3)
n = 4000
X = rs.normal(size=(n, 12)).astype(np.float32)
y = ((X[:, 0] > 0).astype(int) * 2 + (X[:, 1] + 0.5 * X[:, 2] * X[:, 3] > 0).astype(int)).astype(np.int64)
X_tr, y_tr, X_te, y_te = X[:3200], y[:3200], X[3200:], y[3200:]


def build(depth=6, width=64, act=nn.ReLU if CONTROL else nn.Sigmoid):
    layers, d = [], 12
    for _ in range(depth):
        layers += [nn.Linear(d, width), act()]
        d = width
    layers.append(nn.Linear(d, 4))
    return nn.Sequential(*layers)


class GradRatio(Callback):
    """Record ||grad|| of the first and last Linear layer on the last batch of each epoch."""

    def on_grad_computed(self, net, named_parameters, **kw):
        lin = [m for m in net.module_.modules() if isinstance(m, nn.Linear)]
        self.first = lin[0].weight.grad.norm().item()
        self.last = lin[-1].weight.grad.norm().item()

    def on_epoch_end(self, net, **kw):
        net.history.record("grad_first", self.first)
        net.history.record("grad_last", self.last)


net = NeuralNetClassifier(build(), criterion=nn.CrossEntropyLoss, optimizer=torch.optim.SGD,
                          optimizer__momentum=0.9, lr=0.05, max_epochs=15, batch_size=64,
                          callbacks=[GradRatio()], verbose=0)
net.fit(X_tr, y_tr)
net.history.to_file(os.path.join(LOGDIR, "history.json"))
for r in net.history[::3]:
    print(f"epoch {r['epoch']:2d} train_loss {r['train_loss']:.4f} valid_acc {r['valid_acc']:.3f} "
          f"grad first/last {r['grad_first']:.2e}/{r['grad_last']:.2e}")
ratio = float(np.median([r["grad_first"] / max(r["grad_last"], 1e-12) for r in net.history]))
print("median grad-norm ratio first/last layer:", f"{ratio:.2e}")
p = net.predict_proba(X_te)
print("CORPUS_METRIC " + json.dumps({
    "val_acc": round(float((p.argmax(1) == y_te).mean()), 4),
    "val_loss": round(float(-np.log(p[np.arange(len(y_te)), y_te]).mean()), 4),
    "train_loss": round(float(net.history[-1, "train_loss"]), 4),
    "chance_acc": round(float(np.bincount(y_te).max() / len(y_te)), 4), "grad_ratio_first_last": ratio}))
