# expect: poor_initialization
# allow: high_bias, non_convergence, vanishing_gradients, saturated_activations
# forbid: *
# evidence: control (default init) val_acc 0.99, val_loss 0.012; planted (constant 0.05) hidden weight matrix has 1 distinct row out of 64 after training (control 64), train_acc 0.74, val_acc 0.75, val_loss 0.61 (chance 0.25)
# control: --control
# native-log: skorch_const_history.json
# log-expect:
# log-allow: high_bias, non_convergence
"""Planted poor_initialization (symmetric weights): skorch NeuralNetClassifier for a 4-class
synthetic land-cover problem (10 spectral bands); the module's reset_parameters-style init
sets every Linear weight to the constant 0.05 and biases to 0 ("so that runs are
reproducible"). All hidden units of a layer compute the same function and receive the same
gradient, so symmetry never breaks and the 2x64 tanh MLP behaves like a 1-unit-wide net.
History saved with net.history.to_file. --control keeps PyTorch's default (random) init and
changes nothing else."""
import os, sys, json, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
torch.set_num_threads(1)
torch.manual_seed(22)
from skorch import NeuralNetClassifier
CONTROL = "--control" in sys.argv
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

rng = np.random.default_rng(22)
C = 4
centers = rng.normal(0, 1.3, (C, 10))
def make(n):
    y = rng.integers(0, C, n); x = centers[y] + rng.normal(0, 0.9, (n, 10))
    return x.astype("float32"), y.astype("int64")
X, y = make(3000); Xte, yte = make(800)

class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(10, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, C))
        if not CONTROL:
            for m in self.f:
                if isinstance(m, nn.Linear): nn.init.constant_(m.weight, 0.05); nn.init.zeros_(m.bias)
    def forward(self, x): return self.f(x)

net = NeuralNetClassifier(MLP, criterion=nn.CrossEntropyLoss, optimizer=torch.optim.Adam, lr=2e-3, max_epochs=15,
                          batch_size=64, iterator_train__shuffle=True, verbose=0)
net.fit(X, y)
net.history.to_file(os.path.join(LOGDIR, "skorch_const_history.json"))
W = net.module_.f[2].weight.detach()
print("probe distinct rows in hidden layer-2 weight matrix: %d of 64 (row std across units %.2g)" % (len(torch.unique(W.round(decimals=5), dim=0)), W.std(0).mean().item()))
p = net.predict_proba(Xte); pt = net.predict_proba(X)
vl = float(-np.log(p[np.arange(len(yte)), yte] + 1e-12).mean()); tl = float(-np.log(pt[np.arange(len(y)), y] + 1e-12).mean())
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(float((p.argmax(1) == yte).mean()), 4), "train_loss": round(tl, 4), "train_acc": round(float((pt.argmax(1) == y).mean()), 4), "chance_acc": 0.25}))
