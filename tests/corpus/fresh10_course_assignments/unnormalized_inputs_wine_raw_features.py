# Course-style "normalising inputs" lesson on the wine data (13 chemical measurements, 3 cultivars):
# one-hidden-layer network [13, 16, 3] with ReLU, He init, mini-batch gradient descent with momentum.
# Planted: the features are fed raw (proline ~300-1700, magnesium ~70-160, hue ~0.5-1.7,
# nonflavanoid phenols ~0.1-0.7): no X = (X - mu) / sigma step.
# expect: unnormalized_inputs
# allow: non_convergence, learning_rate_too_high, exploding_gradients, dead_units, high_bias
# forbid: *
# evidence: planted (raw features, std 0.13..320, means up to ~750) all 16 hidden ReLUs dead by the end, loss stuck at 1.09, train_acc 0.383, dev_acc 0.431 (majority rate 0.40); control (--control: standardised with train mean/std, same lr 0.01) 0 dead units, train_acc 1.0, dev_acc 0.983, val_loss 0.05
# control: --control
import argparse, json
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_wine

torch.set_num_threads(1)
np.random.seed(6)
torch.manual_seed(6)


class OneHiddenLayer(nn.Module):
    def __init__(self, n_x, n_h, n_y):
        super().__init__()
        self.W1 = nn.Linear(n_x, n_h)
        self.W2 = nn.Linear(n_h, n_y)

    def forward(self, X):
        return self.W2(F.relu(self.W1(X)))


def initialize_parameters_he(model):
    with torch.no_grad():
        for lin in (model.W1, model.W2):
            lin.weight.copy_(torch.randn_like(lin.weight) * np.sqrt(2.0 / lin.weight.shape[1]))
            lin.bias.zero_()


def evaluate(model, X, Y):
    with torch.no_grad():
        logits = model(X)
        return F.cross_entropy(logits, Y).item(), (logits.argmax(1) == Y).float().mean().item()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="standardise the features with train mean/std")
    args = ap.parse_args()
    data = load_wine()
    X, Y = data.data.astype(np.float32), data.target
    perm = np.random.permutation(len(Y))
    X, Y = X[perm], Y[perm]
    Xtr, Ytr, Xdev, Ydev = X[:120], Y[:120], X[120:], Y[120:]
    if args.control:
        mu, sigma = Xtr.mean(0), Xtr.std(0)
        Xtr, Xdev = (Xtr - mu) / sigma, (Xdev - mu) / sigma
    Xtr, Ytr, Xdev, Ydev = map(torch.tensor, (Xtr, Ytr, Xdev, Ydev))
    model = OneHiddenLayer(13, 16, 3)
    initialize_parameters_he(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(150):
        perm = torch.randperm(120)
        for k in range(0, 120, 16):
            idx = perm[k:k + 16]
            cost = F.cross_entropy(model(Xtr[idx]), Ytr[idx])
            optimizer.zero_grad()
            cost.backward()
            optimizer.step()
        if epoch % 30 == 0:
            print(f"Cost after epoch {epoch}: {cost.item():.4f}")
    train_loss, train_acc = evaluate(model, Xtr, Ytr)
    dev_loss, dev_acc = evaluate(model, Xdev, Ydev)
    with torch.no_grad():
        dead = (F.relu(model.W1(Xtr)).max(0).values <= 0).float().mean().item()
    print(f"train acc {train_acc:.3f} dev acc {dev_acc:.3f}; input feature std range {Xtr.std(0).min():.3g}..{Xtr.std(0).max():.3g}; dead hidden units {dead:.2f}")
    fin = lambda v: round(v, 4) if np.isfinite(v) else None
    print("CORPUS_METRIC " + json.dumps({"val_loss": fin(dev_loss), "val_acc": round(dev_acc, 4), "train_loss": fin(train_loss),
                                         "train_acc": round(train_acc, 4), "chance_acc": round(float(np.bincount(Y).max() / len(Y)), 4)}))


if __name__ == "__main__":
    main()
