# expect: non_finite
# allow: non_convergence, exploding_gradients
# forbid: *
# evidence: planted (logits into skorch's NLLLoss/log): train_loss NaN in every epoch from the first, val_acc 0.31 (majority 0.354); control (Softmax output): train_loss 0.41 -> 0.11, val_acc 0.938
# control: --control
# native-log: tb
# log-expect: non_finite
# log-allow: non_convergence
"""skorch NeuralNetClassifier with its default criterion (NLLLoss). skorch's classifier expects the
module to return probabilities and takes log(y_pred + eps) itself, but this module returns raw
logits (copied from a plain-PyTorch CrossEntropyLoss script): the log of negative logits is NaN,
so the loss is NaN from the first batch and the weights become NaN.
--control: the module ends with Softmax, as skorch expects (nothing else changes)."""
import os
import sys
import json
import tempfile
import warnings

import numpy as np
import torch
import torch.nn as nn
from torch.utils.tensorboard import SummaryWriter
from skorch import NeuralNetClassifier
from skorch.callbacks import EpochScoring, TensorBoard
from skorch.dataset import ValidSplit

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
torch.manual_seed(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="sknan_")
CONTROL = "--control" in sys.argv
rng = np.random.default_rng(1)
D, C = 12, 3
CENT = rng.normal(size=(C, D)) * 0.9


def sample(n):
    y = rng.integers(0, C, n)
    return (CENT[y] + rng.normal(size=(n, D))).astype(np.float32), y.astype(np.int64)


X, y = sample(2000)
X_test, y_test = sample(500)


class Net(nn.Module):
    def __init__(self, hidden=64):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(D, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                                  nn.Linear(hidden, C))
        self.out = nn.Softmax(dim=-1) if CONTROL else nn.Identity()

    def forward(self, x):
        return self.out(self.body(x))


net = NeuralNetClassifier(
    Net, max_epochs=10, lr=0.05, optimizer=torch.optim.SGD, optimizer__momentum=0.9, batch_size=32,
    iterator_train__shuffle=True, train_split=ValidSplit(0.2, random_state=1),
    callbacks=[EpochScoring("f1_macro", lower_is_better=False, name="valid_f1"),
               TensorBoard(SummaryWriter(os.path.join(LOG_DIR, "tb")))],
    verbose=0,
)
net.fit(X, y)
with torch.no_grad():
    out = net.forward(torch.from_numpy(X_test))
    logp = torch.log(out + 1e-12) if CONTROL else torch.log_softmax(out, -1)
    val_loss = float(nn.functional.nll_loss(logp, torch.from_numpy(y_test)))
    val_acc = float((out.argmax(1).numpy() == y_test).mean())
first_w = net.module_.body[0].weight
print(f"train_loss per epoch: {[round(float(v), 4) for v in net.history[:, 'train_loss']]}")
print(f"first-layer weights finite: {bool(torch.isfinite(first_w).all())}")
print("CORPUS_METRIC " + json.dumps({"val_loss": val_loss if np.isfinite(val_loss) else str(val_loss),
                                     "val_acc": round(val_acc, 4),
                                     "train_loss": str(float(net.history[-1, "train_loss"])),
                                     "chance_acc": round(float(np.bincount(y_test).max() / len(y_test)), 4)}))
