"""Planted saturated_activations: skorch NeuralNetClassifier, tanh MLP initialised with N(0, 1) weights.

Four-class tabular problem (sklearn make_classification, standardised inputs). The module is a
3-hidden-layer tanh MLP (width 256). The planted cause: every Linear weight is drawn from N(0, 1)
("weights ~ N(0,1)" copied from a textbook), so pre-activations have std ~ sqrt(fan_in) ~ 5-16 and
almost every tanh unit sits at +-1. --control keeps PyTorch's default (fan-in scaled) init.
"""
# expect: saturated_activations
# allow: poor_initialization, vanishing_gradients, overfitting, high_variance, non_convergence, high_bias
# forbid: *
# evidence: planted: 77 % of hidden tanh outputs have |a|>0.99 (layers 58/86/86 %), test_acc 0.34, valid_loss 10.3 while train_loss 0.14; control (default init): 5 % saturated, test_acc 0.82, valid_loss 0.48 (chance 0.25)
# control: --control
# native-log: history.json
# log-expect:
# log-allow: overfitting, high_variance, non_convergence, high_bias
import os, sys, json, random, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
torch.set_num_threads(1)
random.seed(13); np.random.seed(13); torch.manual_seed(13)
from skorch import NeuralNetClassifier
from skorch.dataset import ValidSplit
from sklearn.datasets import make_classification
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
CONTROL = "--control" in sys.argv

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="f11_tanh_")
os.makedirs(LOG_DIR, exist_ok=True)

X, y = make_classification(n_samples=3000, n_features=24, n_informative=10, n_redundant=4, n_classes=4,
                           class_sep=1.2, flip_y=0.03, random_state=13)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=13, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr, Xte = sc.transform(Xtr).astype(np.float32), sc.transform(Xte).astype(np.float32)
ytr, yte = ytr.astype(np.int64), yte.astype(np.int64)


class TanhMLP(nn.Module):
    def __init__(self, unit_normal_init=True):
        super().__init__()
        self.hidden = nn.ModuleList([nn.Linear(24, 256), nn.Linear(256, 256), nn.Linear(256, 256)])
        self.out = nn.Linear(256, 4)
        if unit_normal_init:
            for m in list(self.hidden) + [self.out]:
                nn.init.normal_(m.weight, 0.0, 1.0)
                nn.init.zeros_(m.bias)

    def forward(self, x, return_acts=False):
        acts = []
        for lin in self.hidden:
            x = torch.tanh(lin(x)); acts.append(x)
        return (self.out(x), acts) if return_acts else self.out(x)


net = NeuralNetClassifier(TanhMLP, module__unit_normal_init=not CONTROL, criterion=nn.CrossEntropyLoss,
                          optimizer=torch.optim.Adam, lr=1e-3, max_epochs=20, batch_size=64,
                          train_split=ValidSplit(0.2, stratified=True, random_state=13),
                          iterator_train__shuffle=True, verbose=0)
net.fit(Xtr, ytr)
net.history.to_file(os.path.join(LOG_DIR, "history.json"))

with torch.no_grad():
    _, acts = net.module_(torch.tensor(Xte), return_acts=True)
sat = [float((a.abs() > 0.99).float().mean()) for a in acts]
proba = net.predict_proba(Xte)
h = net.history
print("saturated fraction per tanh layer:", [round(s, 3) for s in sat])
print("CORPUS_METRIC " + json.dumps({"test_acc": round(float((proba.argmax(1) == yte).mean()), 4),
                                     "valid_loss": round(float(h[-1, "valid_loss"]), 4), "train_loss": round(float(h[-1, "train_loss"]), 4),
                                     "saturated_frac": round(float(np.mean(sat)), 4), "chance_acc": 0.25}))
