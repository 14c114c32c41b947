"""Classifier whose forward() ends in nn.Softmax (so that predict() returns
probabilities), trained with nn.CrossEntropyLoss, which applies log_softmax again.

CE(softmax(z)) squashes the logits into [0, 1]: the loss can never go below
log(1 + 9/e) = 1.46 for 10 classes and the gradients reaching the network are
scaled down by the softmax Jacobian, so training crawls and stalls far from a
good solution. --control removes the Softmax from forward() (probabilities are
still produced in predict()); nothing else changes.
"""
# expect: non_convergence
# allow: learning_rate_too_low, high_bias
# forbid: *
# evidence: control val_acc 0.887 / val_loss 0.44 / train_loss 0.29 after 20 epochs; planted val_acc 0.58, val NLL 1.36 and train CE 1.95 (chance 2.30 / acc 0.10; floor 1.46): the loss barely moved for 8 epochs (2.30 -> 2.27) and is still far from converged; planted first-layer grad norm 1.4e-2..1.3e-1 vs 1.5e-1..5e-1 in control (printed)
# control: --control
import argparse
import json
import random

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


class Classifier(nn.Module):
    def __init__(self, d_in, n_classes, softmax_in_forward):
        super().__init__()
        layers = [nn.Linear(d_in, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, n_classes)]
        if softmax_in_forward:
            layers.append(nn.Softmax(dim=1))
        self.net = nn.Sequential(*layers)
        self.softmax_in_forward = softmax_in_forward

    def forward(self, x):
        return self.net(x)

    @torch.no_grad()
    def predict_proba(self, x):
        out = self.forward(x)
        return out if self.softmax_in_forward else F.softmax(out, dim=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    random.seed(17)
    np.random.seed(17)
    torch.manual_seed(17)

    X, y = make_classification(n_samples=5000, n_features=30, n_informative=15, n_redundant=5, n_classes=10,
                               n_clusters_per_class=1, class_sep=1.5, random_state=17)
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=17, stratify=y)
    sc = StandardScaler().fit(Xtr)
    Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32)
    Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
    ytr, yva = torch.tensor(ytr), torch.tensor(yva)

    model = Classifier(30, 10, softmax_in_forward=not args.control)
    criterion = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
    for ep in range(20):
        model.train()
        perm = torch.randperm(len(Xtr))
        tot, g1 = 0.0, []
        for i in range(0, len(perm), 64):
            idx = perm[i:i + 64]
            loss = criterion(model(Xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            g1.append(model.net[0].weight.grad.norm().item())
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        proba = model.predict_proba(Xva)
        val_loss = F.nll_loss(torch.log(proba.clamp_min(1e-12)), yva).item()
        val_acc = (proba.argmax(1) == yva).float().mean().item()
        if ep % 4 == 3 or ep == 0:
            print(f"epoch {ep} train_loss {tot / len(Xtr):.4f} val_nll {val_loss:.4f} val_acc {val_acc:.4f} "
                  f"first_layer_grad_norm {np.mean(g1):.2e}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                        "train_loss": round(tot / len(Xtr), 4), "chance_acc": 0.1}))


if __name__ == "__main__":
    main()
