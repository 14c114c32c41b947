# expect: poor_initialization
# allow: high_bias, non_convergence, saturated_activations
# forbid: *
# evidence: planted (all weights constant 0.05) hidden units stay identical (1 distinct row of 128 after training), train_acc 0.503, val_acc 0.503, val_loss 1.041; control (xavier) train_acc 1.000, val_acc 0.920, val_loss 0.353; chance 0.25
# control: --control
"""TorchScript MLP (torch.jit.script) on a 4-class synthetic tabular task.
Weights are initialised by a custom init function before scripting."""
import argparse
import json
from typing import List
import torch
import torch.nn as nn
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
A = ap.parse_args()
torch.manual_seed(0)
torch.set_num_threads(1)


class MLP(nn.Module):
    def __init__(self, sizes: List[int]):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:])])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n = len(self.layers)
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < n - 1:
                x = torch.tanh(x)
        return x


def init_weights(m: nn.Module):
    if isinstance(m, nn.Linear):
        if A.control:
            nn.init.xavier_uniform_(m.weight)
        else:
            nn.init.constant_(m.weight, 0.05)
        nn.init.zeros_(m.bias)


eager = MLP([20, 128, 128, 4])
eager.apply(init_weights)
model = torch.jit.script(eager)

X, y = make_classification(n_samples=3000, n_features=20, n_informative=12, n_redundant=4, n_classes=4,
                           n_clusters_per_class=2, class_sep=1.2, random_state=4)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
Xtr, Xte = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xte, dtype=torch.float32)
ytr, yte = torch.tensor(ytr), torch.tensor(yte)

opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
crit = nn.CrossEntropyLoss()
for ep in range(30):
    model.train()
    p = torch.randperm(len(Xtr))
    s = 0.0
    for i in range(0, len(p), 64):
        b = p[i:i + 64]
        out = model(Xtr[b])
        loss = crit(out, ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        s += loss.item() * len(b)
    model.eval()
    with torch.no_grad():
        o = model(Xte)
        vl = crit(o, yte).item()
        va = (o.argmax(1) == yte).float().mean().item()
        tra = (model(Xtr).argmax(1) == ytr).float().mean().item()
    print(f"ep {ep:2d} train_loss {s / len(Xtr):.4f} train_acc {tra:.3f} val_loss {vl:.4f} val_acc {va:.3f}")

W = eager.layers[1].weight.detach()
print("distinct rows in hidden layer 2:", torch.unique(W.round(decimals=5), dim=0).shape[0])
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(s / len(Xtr), 4),
                                     "train_acc": round(tra, 4), "chance_acc": 0.25}))
