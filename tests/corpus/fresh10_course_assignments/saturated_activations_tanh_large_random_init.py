# Improving Deep Neural Networks, "Optimization" assignment rewritten in PyTorch: 3-layer tanh network on
# the 8x8 digits (64 features, pixel/16 then centred), Xavier initialisation, mini-batch gradient
# descent with momentum written by hand (v = beta*v + (1-beta)*dW), learning-rate decay lr = lr0/(1+decay_rate*epoch).
# Planted: "large random" initialisation, W = randn * 10 * sqrt(1/n_prev) instead of Xavier's scale 1.
# expect: saturated_activations
# allow: poor_initialization, vanishing_gradients, high_variance, overfitting
# forbid: *
# evidence: planted (scale 10) at init 33% of layer-1 and 75% of layer-2 tanh units have |a|>0.99 (35% and 80% still at the end, on dev), initial cost 10.2, ends train_acc 0.963 but dev_acc 0.769, val_loss 1.44; control (--control: Xavier scale 1) 0% saturated, dev_acc 0.960, val_loss 0.147 (chance 0.10)
# control: --control
import argparse, json
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

torch.set_num_threads(1)
np.random.seed(2)
torch.manual_seed(2)


class Net(nn.Module):
    def __init__(self, dims):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:])])

    def forward(self, X):
        A = X
        for lin in self.layers[:-1]:
            A = torch.tanh(lin(A))
        return self.layers[-1](A)


def initialize_parameters_xavier(model, scale=1.0):
    with torch.no_grad():
        for lin in model.layers:
            lin.weight.copy_(torch.randn_like(lin.weight) * scale * np.sqrt(1.0 / lin.weight.shape[1]))
            lin.bias.zero_()


def evaluate(model, X, Y):
    with torch.no_grad():
        logits = model(X)
        return F.cross_entropy(logits, Y).item(), (logits.argmax(1) == Y).float().mean().item()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--num_epochs", type=int, default=30)
    ap.add_argument("--control", action="store_true", help="Xavier scale 1 instead of 10")
    args = ap.parse_args()
    digits = load_digits()
    X = digits.data.astype(np.float32) / 16.0
    X = X - X.mean(0)
    Y = digits.target
    perm = np.random.permutation(len(Y))
    X, Y = torch.tensor(X[perm]), torch.tensor(Y[perm])
    Xtr, Ytr, Xdev, Ydev = X[:1300], Y[:1300], X[1300:], Y[1300:]
    model = Net([64, 64, 32, 10])
    initialize_parameters_xavier(model, scale=1.0 if args.control else 10.0)
    with torch.no_grad():
        A1 = torch.tanh(model.layers[0](Xtr)); A2 = torch.tanh(model.layers[1](A1))
        print(f"fraction of |tanh| > 0.99 at init: layer1 {(A1.abs() > 0.99).float().mean():.2f} layer2 {(A2.abs() > 0.99).float().mean():.2f}")
    learning_rate0, beta, decay_rate, mini_batch_size = 0.1, 0.9, 0.1, 32
    v = {name: torch.zeros_like(p) for name, p in model.named_parameters()}
    for epoch in range(args.num_epochs):
        learning_rate = learning_rate0 / (1 + decay_rate * epoch)
        perm = torch.randperm(Xtr.shape[0])
        total = 0.0
        for k in range(0, Xtr.shape[0], mini_batch_size):
            idx = perm[k:k + mini_batch_size]
            cost = F.cross_entropy(model(Xtr[idx]), Ytr[idx])
            model.zero_grad()
            cost.backward()
            with torch.no_grad():
                for name, p in model.named_parameters():
                    v[name] = beta * v[name] + (1 - beta) * p.grad
                    p -= learning_rate * v[name]
            total += cost.item() * len(idx)
        if epoch % 5 == 0:
            print(f"Cost after epoch {epoch}: {total / Xtr.shape[0]:.4f} (lr {learning_rate:.4f})")
    train_loss, train_acc = evaluate(model, Xtr, Ytr)
    dev_loss, dev_acc = evaluate(model, Xdev, Ydev)
    with torch.no_grad():
        A1 = torch.tanh(model.layers[0](Xdev)); A2 = torch.tanh(model.layers[1](A1))
        sat_end = [(A1.abs() > 0.99).float().mean().item(), (A2.abs() > 0.99).float().mean().item()]
    print(f"fraction of |tanh| > 0.99 at the end (dev): layer1 {sat_end[0]:.2f} layer2 {sat_end[1]:.2f}")
    print(f"train acc {train_acc:.3f} dev acc {dev_acc:.3f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(dev_loss, 4), "val_acc": round(dev_acc, 4),
                                         "train_loss": round(train_loss, 4), "train_acc": round(train_acc, 4), "chance_acc": 0.1}))


if __name__ == "__main__":
    main()
