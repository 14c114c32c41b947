# expect: dead_units
# allow: non_convergence, high_bias, vanishing_gradients, poor_initialization
# forbid: *
# evidence: planted (bias offset -4 via parametrize) probe: 100% of units in both ReLU layers never fire on the train set; stuck at val_acc 0.400 (majority 0.40), train_loss 1.086; control (offset 0) dead fraction [0.0, 0.14], val_acc 1.000, val_loss 0.003
# control: --control
"""Wine classifier whose hidden-layer biases are reparametrised as
raw + offset (torch.nn.utils.parametrize), with the offset read from a
shared config."""
import argparse
import json
import torch
import torch.nn as nn
import torch.nn.utils.parametrize as parametrize
from sklearn.datasets import load_wine
from sklearn.model_selection import StratifiedKFold

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
ns = ap.parse_args()
torch.manual_seed(5)
torch.set_num_threads(1)

config = {"hidden": [64, 64], "bias_offset": 0.0 if ns.control else -4.0, "lr": 1e-2, "epochs": 150}


class Offset(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.register_buffer("c", torch.tensor(float(c)))

    def forward(self, b):
        return b + self.c


layers, d = [], 13
for h in config["hidden"]:
    lin = nn.Linear(d, h)
    parametrize.register_parametrization(lin, "bias", Offset(config["bias_offset"]))
    layers += [lin, nn.ReLU()]
    d = h
layers.append(nn.Linear(d, 3))
clf = nn.Sequential(*layers)

X, y = load_wine(return_X_y=True)
tr_idx, te_idx = next(StratifiedKFold(n_splits=4, shuffle=True, random_state=0).split(X, y))
mean, std = X[tr_idx].mean(0), X[tr_idx].std(0)
X = torch.tensor((X - mean) / std, dtype=torch.float32)
y = torch.tensor(y)
Xtr, ytr, Xte, yte = X[tr_idx], y[tr_idx], X[te_idx], y[te_idx]

opt = torch.optim.Adam(clf.parameters(), lr=config["lr"])
loss_fn = nn.CrossEntropyLoss()
for epoch in range(config["epochs"]):
    clf.train()
    perm = torch.randperm(len(Xtr))
    for k in range(0, len(perm), 16):
        bi = perm[k:k + 16]
        opt.zero_grad()
        l = loss_fn(clf(Xtr[bi]), ytr[bi])
        l.backward()
        opt.step()
    if epoch % 10 == 9 or epoch == config["epochs"] - 1:
        clf.eval()
        with torch.no_grad():
            trl = loss_fn(clf(Xtr), ytr).item()
            out = clf(Xte)
            tel = loss_fn(out, yte).item()
            tea = (out.argmax(1) == yte).float().mean().item()
        print(f"epoch {epoch + 1} train_loss {trl:.4f} test_loss {tel:.4f} test_acc {tea:.3f}")

# probe: fraction of hidden ReLU units that never fire on the training set
with torch.no_grad():
    h = Xtr
    dead = []
    for m in clf:
        h = m(h)
        if isinstance(m, nn.ReLU):
            dead.append(((h > 0).sum(0) == 0).float().mean().item())
print("dead fraction per ReLU layer:", dead)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(tel, 4), "val_acc": round(tea, 4), "train_loss": round(trl, 4),
                                     "chance_acc": 0.4, "dead_frac": dead}))
