# Course-style L-layer ReLU network [64, 128, 64, 10] on the digits (pixel/16, centred), Adam, mini-batches.
# Planted: initialize_parameters sets every hidden bias to b = -3 (a "sparse activations" idea copied
# from a forum), with small weights W = randn*0.01 -> every ReLU is negative for every input from the start.
# Prints the fraction of hidden ReLU units that never fire on the dev set.
# expect: dead_units
# allow: non_convergence, vanishing_gradients, poor_initialization, high_bias
# forbid: *
# evidence: planted (hidden b=-3, W*0.01) 100% of units in both hidden layers never fire on dev, cost stays 2.30 for 20 epochs, train_acc 0.111, dev_acc 0.074 (chance 0.10); control (--control: b=0, same W init and Adam lr 1e-3) 0% / 12.5% dead, train_acc 1.0, dev_acc 0.958, val_loss 0.147
# control: --control
import argparse, json
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

torch.set_num_threads(1)
np.random.seed(10)
torch.manual_seed(10)


class LLayerNet(nn.Module):
    def __init__(self, dims):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:])])

    def forward(self, X, return_hidden=False):
        A, hidden = X, []
        for lin in self.layers[:-1]:
            A = F.relu(lin(A))
            hidden.append(A)
        out = self.layers[-1](A)
        return (out, hidden) if return_hidden else out


def initialize_parameters(model, hidden_bias):
    with torch.no_grad():
        for lin in model.layers:
            lin.weight.copy_(torch.randn_like(lin.weight) * 0.01)
            lin.bias.zero_()
        for lin in model.layers[:-1]:
            lin.bias.fill_(hidden_bias)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="hidden biases initialised to 0 instead of -3")
    args = ap.parse_args()
    digits = load_digits()
    X = digits.data.astype(np.float32) / 16.0
    X = X - X.mean(0)
    perm = np.random.permutation(len(X))
    X, Y = torch.tensor(X[perm]), torch.tensor(digits.target[perm])
    Xtr, Ytr, Xdev, Ydev = X[:1300], Y[:1300], X[1300:], Y[1300:]
    model = LLayerNet([64, 128, 64, 10])
    initialize_parameters(model, 0.0 if args.control else -3.0)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    for epoch in range(20):
        perm = torch.randperm(1300)
        for k in range(0, 1300, 32):
            idx = perm[k:k + 32]
            cost = F.cross_entropy(model(Xtr[idx]), Ytr[idx])
            optimizer.zero_grad()
            cost.backward()
            optimizer.step()
        if epoch % 5 == 0:
            print(f"Cost after epoch {epoch}: {cost.item():.4f}")
    with torch.no_grad():
        logits, hidden = model(Xdev, return_hidden=True)
        dead = [(h.max(0).values <= 0).float().mean().item() for h in hidden]
        dev_loss = F.cross_entropy(logits, Ydev).item()
        dev_acc = (logits.argmax(1) == Ydev).float().mean().item()
        lt = model(Xtr)
        train_loss = F.cross_entropy(lt, Ytr).item()
        train_acc = (lt.argmax(1) == Ytr).float().mean().item()
    print(f"dead ReLU fraction per hidden layer: {dead}; train acc {train_acc:.3f} dev acc {dev_acc:.3f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(dev_loss, 4), "val_acc": round(dev_acc, 4), "train_loss": round(train_loss, 4),
                                         "train_acc": round(train_acc, 4), "chance_acc": 0.1, "dead_fraction": [round(d, 3) for d in dead]}))


if __name__ == "__main__":
    main()
