# Softmax regression on the wine data (13 standardised features -> 3 classes), batch gradient
# descent written by hand, L2 regularisation written into the cost: J = CE + lambd/(2m) * ||W||^2.
# expect:
# allow:
# forbid: *
# evidence: train_acc 1.000, dev_acc 0.948, val_loss 0.09 (majority rate 0.40); cost 1.099 -> 0.076 and flat (converged convex problem; zero init is fine here)
import json
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_wine

torch.set_num_threads(1)
np.random.seed(8)
torch.manual_seed(8)


def compute_cost(model, X, Y, lambd):
    m = X.shape[0]
    return F.cross_entropy(model(X), Y) + lambd / (2 * m) * (model.weight ** 2).sum()


def main():
    data = load_wine()
    X, Y = data.data.astype(np.float32), data.target
    perm = np.random.permutation(len(Y))
    X, Y = X[perm], Y[perm]
    Xtr, Ytr, Xdev, Ydev = X[:120], Y[:120], X[120:], Y[120:]
    mu, sigma = Xtr.mean(0), Xtr.std(0)
    Xtr, Xdev = (Xtr - mu) / sigma, (Xdev - mu) / sigma
    Xtr, Ytr, Xdev, Ydev = map(torch.tensor, (Xtr, Ytr, Xdev, Ydev))
    model = nn.Linear(13, 3)
    with torch.no_grad():
        model.weight.zero_(); model.bias.zero_()   # zeros are fine for softmax regression (convex)
    learning_rate, lambd = 0.1, 1.0
    for i in range(1500):
        cost = compute_cost(model, Xtr, Ytr, lambd)
        model.zero_grad()
        cost.backward()
        with torch.no_grad():
            model.weight -= learning_rate * model.weight.grad
            model.bias -= learning_rate * model.bias.grad
        if i % 300 == 0:
            print(f"Cost after iteration {i}: {cost.item():.5f}")
    with torch.no_grad():
        train_loss = F.cross_entropy(model(Xtr), Ytr).item()
        train_acc = (model(Xtr).argmax(1) == Ytr).float().mean().item()
        dev_loss = F.cross_entropy(model(Xdev), Ydev).item()
        dev_acc = (model(Xdev).argmax(1) == Ydev).float().mean().item()
    print(f"train acc {train_acc:.3f} dev acc {dev_acc:.3f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(dev_loss, 4), "val_acc": round(dev_acc, 4), "train_loss": round(train_loss, 4),
                                         "train_acc": round(train_acc, 4), "chance_acc": round(float(np.bincount(Y).max() / len(Y)), 4)}))


if __name__ == "__main__":
    main()
