# Improving Deep Neural Networks, "Regularization" assignment: the goalkeeper data (where should the
# keeper kick so the own team heads it?). 2-D positions, a wavy true boundary, 12% of labels flipped
# (Bayes error ~0.12). 600 training positions this time; 3-layer ReLU net [2, 64, 64, 1], Adam,
# 1500 full-batch iterations, L2 regularisation lambd=0.3 written into the cost.
# expect:
# allow:
# forbid: *
# evidence: train err 0.125, dev err 0.138 (val_acc 0.862, val_loss 0.39), Bayes error 0.12 built into the labels: avoidable bias ~0, variance ~0.013
import argparse, json
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
np.random.seed(4)
torch.manual_seed(4)

BAYES_ERROR = 0.12


def load_goalkeeper_dataset(m, rng):
    X = rng.uniform(-1, 1, size=(m, 2))
    Y = (X[:, 1] > 0.35 * np.sin(3.0 * X[:, 0])).astype(np.float32)
    flip = rng.rand(m) < BAYES_ERROR
    Y[flip] = 1 - Y[flip]
    return X.astype(np.float32), Y


class ThreeLayerNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1, self.l2, self.l3 = nn.Linear(2, 64), nn.Linear(64, 64), nn.Linear(64, 1)

    def forward(self, X):
        return self.l3(F.relu(self.l2(F.relu(self.l1(X))))).squeeze(1)


def compute_cost_with_regularization(model, logits, Y, lambd):
    cross_entropy_cost = F.binary_cross_entropy_with_logits(logits, Y)
    m = Y.shape[0]
    L2_regularization_cost = lambd / (2 * m) * sum((l.weight ** 2).sum() for l in (model.l1, model.l2, model.l3))
    return cross_entropy_cost + L2_regularization_cost


def evaluate(model, X, Y):
    with torch.no_grad():
        logits = model(X)
        return F.binary_cross_entropy_with_logits(logits, Y).item(), ((logits > 0).float() == Y).float().mean().item()


def main():
    ap = argparse.ArgumentParser()
    args = ap.parse_args()
    rng = np.random.RandomState(7)
    Xtr, Ytr = map(torch.tensor, load_goalkeeper_dataset(600, rng))
    Xdev, Ydev = map(torch.tensor, load_goalkeeper_dataset(600, rng))
    model = ThreeLayerNet()
    lambd = 0.3
    optimizer = torch.optim.Adam(model.parameters(), lr=0.003)
    for i in range(1500):
        cost = compute_cost_with_regularization(model, model(Xtr), Ytr, lambd)
        optimizer.zero_grad()
        cost.backward()
        optimizer.step()
        if i % 100 == 0:
            dev_loss, dev_acc = evaluate(model, Xdev, Ydev)
            if i % 500 == 0:
                print(f"Cost after iteration {i}: {cost.item():.5f}   dev cost {dev_loss:.4f} dev acc {dev_acc:.3f}")
    train_loss, train_acc = evaluate(model, Xtr, Ytr)
    dev_loss, dev_acc = evaluate(model, Xdev, Ydev)
    print(f"On the training set: {train_acc:.3f}   On the dev set: {dev_acc:.3f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(dev_loss, 4), "val_acc": round(dev_acc, 4),
                                         "train_loss": round(train_loss, 4), "train_acc": round(train_acc, 4),
                                         "chance_acc": 0.5, "bayes_error": BAYES_ERROR}))


if __name__ == "__main__":
    main()
