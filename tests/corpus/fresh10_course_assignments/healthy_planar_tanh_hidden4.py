# Week 3 assignment: planar data classification with one hidden layer (4 tanh units).
# expect:
# allow:
# forbid: *
# evidence: hand-written batch gradient descent (lr=1.2, 6000 iterations) on the 2-class flower data (noise built in, human-level error ~5%); reaches dev_acc ~0.9 (chance 0.5), train_acc ~0.9
import argparse, json
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
np.random.seed(1)
torch.manual_seed(1)


def load_planar_dataset(m=600, seed=1):
    rng = np.random.RandomState(seed)
    N = m // 2
    X = np.zeros((m, 2)); Y = np.zeros(m)
    a = 4
    for j in range(2):
        ix = range(N * j, N * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + rng.randn(N) * 0.2
        r = a * np.sin(4 * t) + rng.randn(N) * 0.2
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[ix] = j
    perm = rng.permutation(m)
    return X[perm].astype(np.float32), Y[perm].astype(np.float32)


class TwoLayerNet(nn.Module):
    def __init__(self, n_x, n_h):
        super().__init__()
        self.hidden = nn.Linear(n_x, n_h)
        self.out = nn.Linear(n_h, 1)

    def forward(self, X):
        return self.out(torch.tanh(self.hidden(X))).squeeze(1)


def initialize_parameters(model):
    with torch.no_grad():
        for layer in (model.hidden, model.out):
            layer.weight.copy_(torch.randn_like(layer.weight) * 0.01)
            layer.bias.zero_()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iterations", type=int, default=6000)
    args = ap.parse_args()
    X, Y = load_planar_dataset()
    Xtr, Ytr, Xdev, Ydev = torch.tensor(X[:400]), torch.tensor(Y[:400]), torch.tensor(X[400:]), torch.tensor(Y[400:])
    model = TwoLayerNet(2, 4)
    initialize_parameters(model)
    learning_rate = 1.2
    for i in range(args.iterations):
        cost = F.binary_cross_entropy_with_logits(model(Xtr), Ytr)
        model.zero_grad()
        cost.backward()
        with torch.no_grad():
            for p in model.parameters():
                p -= learning_rate * p.grad
        if i % 1000 == 0:
            print(f"Cost after iteration {i}: {cost.item():.6f}")
    with torch.no_grad():
        logits_tr = model(Xtr)
        train_loss = F.binary_cross_entropy_with_logits(logits_tr, Ytr).item()
        train_acc = ((logits_tr > 0).float() == Ytr).float().mean().item()
        model.eval()
        logits = model(Xdev)
        dev_loss = F.binary_cross_entropy_with_logits(logits, Ydev).item()
        dev_acc = ((logits > 0).float() == Ydev).float().mean().item()
    print(f"train accuracy {train_acc:.3f}  dev accuracy {dev_acc:.3f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(dev_loss, 4), "val_acc": round(dev_acc, 4),
                                         "train_loss": round(train_loss, 4), "train_acc": round(train_acc, 4), "chance_acc": 0.5}))


if __name__ == "__main__":
    main()
