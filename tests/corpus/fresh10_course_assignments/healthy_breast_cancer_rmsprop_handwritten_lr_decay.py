# Course-style binary classifier on the breast-cancer data (30 features standardised with the train
# statistics): 2-layer net [30, 16, 1] tanh (Xavier init), RMSprop written by hand
# (s = beta*s + (1-beta)*g^2; W -= lr * g / (sqrt(s)+eps)), mini-batches of 32, lr decay
# lr = lr0 / (1 + decay_rate * floor(epoch / time_interval)), and L2 via a hand-written penalty.
# Train / dev / test split 60/20/20; human-level error on this data ~2-3%.
# expect:
# allow:
# forbid: *
# evidence: train_acc 0.994, dev_acc 0.974, test_acc 0.982, val_loss 0.13 (majority rate 0.63, human-level error ~0.02-0.03)
import json, math
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_breast_cancer

torch.set_num_threads(1)
np.random.seed(14)
torch.manual_seed(14)


def main():
    data = load_breast_cancer()
    X, Y = data.data.astype(np.float32), data.target.astype(np.float32)
    perm = np.random.permutation(len(Y))
    X, Y = X[perm], Y[perm]
    n_tr, n_dev = 341, 114
    mu, sigma = X[:n_tr].mean(0), X[:n_tr].std(0)
    X = (X - mu) / sigma
    X, Y = torch.tensor(X), torch.tensor(Y)
    Xtr, Ytr = X[:n_tr], Y[:n_tr]
    Xdev, Ydev = X[n_tr:n_tr + n_dev], Y[n_tr:n_tr + n_dev]
    Xte, Yte = X[n_tr + n_dev:], Y[n_tr + n_dev:]
    model = nn.Sequential(nn.Linear(30, 16), nn.Tanh(), nn.Linear(16, 1))
    with torch.no_grad():
        for m in (model[0], model[2]):
            m.weight.copy_(torch.randn_like(m.weight) * np.sqrt(1.0 / m.weight.shape[1])); m.bias.zero_()
    params = list(model.parameters())
    S = [torch.zeros_like(p) for p in params]
    lr0, beta, eps, decay_rate, lambd = 0.003, 0.9, 1e-8, 0.5, 0.5
    for epoch in range(60):
        learning_rate = lr0 / (1 + decay_rate * math.floor(epoch / 15))
        perm = torch.randperm(n_tr)
        for k in range(0, n_tr, 32):
            idx = perm[k:k + 32]
            cost = F.binary_cross_entropy_with_logits(model(Xtr[idx]).squeeze(1), Ytr[idx])
            cost = cost + lambd / (2 * n_tr) * sum((m.weight ** 2).sum() for m in (model[0], model[2]))
            model.zero_grad()
            cost.backward()
            with torch.no_grad():
                for p, s in zip(params, S):
                    s.mul_(beta).add_((1 - beta) * p.grad ** 2)
                    p -= learning_rate * p.grad / (torch.sqrt(s) + eps)
        if epoch % 10 == 0:
            print(f"Cost after epoch {epoch}: {cost.item():.4f} (lr {learning_rate:.5f})")

    def evaluate(X, Y):
        with torch.no_grad():
            z = model(X).squeeze(1)
            return F.binary_cross_entropy_with_logits(z, Y).item(), ((z > 0).float() == Y).float().mean().item()

    train_loss, train_acc = evaluate(Xtr, Ytr)
    dev_loss, dev_acc = evaluate(Xdev, Ydev)
    test_loss, test_acc = evaluate(Xte, Yte)
    print(f"train acc {train_acc:.3f} dev acc {dev_acc:.3f} test acc {test_acc:.3f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(dev_loss, 4), "val_acc": round(dev_acc, 4), "test_acc": round(test_acc, 4),
                                         "train_loss": round(train_loss, 4), "train_acc": round(train_acc, 4),
                                         "chance_acc": round(float(max(Y.mean(), 1 - Y.mean())), 4)}))


if __name__ == "__main__":
    main()
