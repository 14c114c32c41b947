# expect: vanishing_gradients
# allow: non_convergence, high_bias, saturated_activations
# forbid: *
# evidence: planted (12 sigmoid layers, default init): weight-grad norm 5.2e-11 in layer 1 vs 1.2e-1 in layer 12 at init (ratio 4e-10), still 2.3e-11 vs 3.7e-3 at the end; loss 1.436 -> 1.393 (ln 4 = 1.386), val_accuracy 0.22-0.28 for all 15 epochs (chance 0.25). Control (same depth, ReLU + Kaiming): grad norms 0.15-1.3 across layers, val_accuracy 0.616 after epoch 1 -> 0.876, val_loss 0.426
# control: --control
# native-log: history.json
# log-expect:
# log-allow: non_convergence, high_bias
"""12-layer sigmoid MLP on a 4-class tabular problem; history written as a JSON list of epoch dicts.

Every hidden layer is Linear -> Sigmoid with PyTorch's default init, so the backward signal is
multiplied by sigmoid'(z) <= 0.25 twelve times: the first layers get gradients orders of
magnitude smaller than the last one and the net barely leaves chance level.  The per-layer
gradient norms are measured and printed (they are not in the log).  history.json is
json.dump(history, indent=2) with {epoch, loss, accuracy, val_loss, val_accuracy, lr}.
--control keeps depth and width but uses ReLU with Kaiming (fan_in) init.
"""
import json
import os
import random
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_classification

torch.set_num_threads(1)
SEED = 21
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="jsonlist_vanish_")
os.makedirs(LOG_DIR, exist_ok=True)

X, y = make_classification(n_samples=2500, n_features=16, n_informative=8, n_redundant=2, n_classes=4,
                           n_clusters_per_class=1, class_sep=1.2, random_state=4)
X = (X - X.mean(0)) / X.std(0)
Xtr, ytr = torch.tensor(X[:2000], dtype=torch.float32), torch.tensor(y[:2000])
Xva, yva = torch.tensor(X[2000:], dtype=torch.float32), torch.tensor(y[2000:])

DEPTH, WIDTH = 12, 64
layers, d = [], 16
for _ in range(DEPTH):
    lin = nn.Linear(d, WIDTH)
    if CONTROL:
        nn.init.kaiming_normal_(lin.weight, nonlinearity="relu")
        nn.init.zeros_(lin.bias)
    layers += [lin, nn.ReLU() if CONTROL else nn.Sigmoid()]
    d = WIDTH
layers.append(nn.Linear(WIDTH, 4))
model = nn.Sequential(*layers)
linears = [m for m in model if isinstance(m, nn.Linear)]
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)


def grad_norms():
    model.zero_grad()
    F.cross_entropy(model(Xtr[:512]), ytr[:512]).backward()
    g = [l.weight.grad.norm().item() for l in linears]
    model.zero_grad()
    return g


g0 = grad_norms()
print("per-layer weight-grad norms at init (input -> output):", " ".join(f"{v:.1e}" for v in g0))
print(f"first/last hidden-layer gradient ratio at init: {g0[0] / g0[-2]:.2e}")
EPOCHS, BS = 15, 32
history = []
for epoch in range(1, EPOCHS + 1):
    model.train()
    p = torch.randperm(len(Xtr))
    tot, corr = 0.0, 0
    for i in range(0, len(Xtr), BS):
        b = p[i:i + BS]
        out = model(Xtr[b])
        loss = F.cross_entropy(out, ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(b)
        corr += (out.argmax(1) == ytr[b]).sum().item()
    model.eval()
    with torch.no_grad():
        out = model(Xva)
        vl = F.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    history.append({"epoch": epoch, "loss": tot / len(Xtr), "accuracy": corr / len(Xtr), "val_loss": vl,
                    "val_accuracy": va, "lr": opt.param_groups[0]["lr"]})
    print(f"epoch {epoch:2d} loss {tot / len(Xtr):.4f} acc {corr / len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f}")
with open(os.path.join(LOG_DIR, "history.json"), "w") as f:
    json.dump(history, f, indent=2)
g1 = grad_norms()
print("per-layer weight-grad norms at the end:", " ".join(f"{v:.1e}" for v in g1))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / len(Xtr), 4),
                                      "chance_acc": 0.25, "grad_ratio_first_last_init": float(f"{g0[0] / g0[-2]:.3e}")}))
