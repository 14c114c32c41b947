# Course 1 style: a 2-layer network [30, 32, 1] (ReLU, sigmoid output) on the breast-cancer data
# (standardised), with the cost written by hand exactly as in the lecture:
#   J = -1/m * sum( Y*log(A) + (1-Y)*log(1-A) ),  A = sigmoid(Z)
# Adam, full batch, 400 iterations. Planted: once the net is confident, sigmoid rounds to exactly 1.0
# (or 0.0) in float32 and 0*log(0) gives NaN, which flows into the gradients and every weight.
# expect: non_finite
# allow: exploding_gradients, non_convergence, learning_rate_too_high, high_bias
# forbid: *
# evidence: planted (hand-written log cost) first NaN cost at iteration 27, then loss/weights NaN for the remaining 370 iterations, train_acc 0.403, dev_acc 0.302 (majority rate 0.63); control (--control: BCE-with-logits, same model/Adam lr 0.01) no NaN, train_acc 1.0, dev_acc 0.964
# control: --control
import argparse, json
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_breast_cancer

torch.set_num_threads(1)
np.random.seed(9)
torch.manual_seed(9)


class TwoLayerNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1, self.l2 = nn.Linear(30, 32), nn.Linear(32, 1)

    def forward(self, X):
        return self.l2(F.relu(self.l1(X))).squeeze(1)


def compute_cost(Z, Y, stable):
    if stable:
        return F.binary_cross_entropy_with_logits(Z, Y)
    A = torch.sigmoid(Z)
    m = Y.shape[0]
    return -1.0 / m * torch.sum(Y * torch.log(A) + (1 - Y) * torch.log(1 - A))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="numerically stable cost (BCE with logits)")
    args = ap.parse_args()
    data = load_breast_cancer()
    X, Y = data.data.astype(np.float32), data.target.astype(np.float32)
    perm = np.random.permutation(len(Y))
    X, Y = X[perm], Y[perm]
    Xtr, Ytr, Xdev, Ydev = X[:400], Y[:400], X[400:], Y[400:]
    mu, sigma = Xtr.mean(0), Xtr.std(0)
    Xtr, Xdev = (Xtr - mu) / sigma, (Xdev - mu) / sigma
    Xtr, Ytr, Xdev, Ydev = map(torch.tensor, (Xtr, Ytr, Xdev, Ydev))
    model = TwoLayerNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    first_nan = None
    for i in range(400):
        Z = model(Xtr)
        cost = compute_cost(Z, Ytr, args.control)
        if first_nan is None and not torch.isfinite(cost):
            first_nan = i
        optimizer.zero_grad()
        cost.backward()
        optimizer.step()
        if i % 50 == 0:
            print(f"Cost after iteration {i}: {cost.item():.5f}  max |Z| {Z.abs().max().item():.1f}")
    with torch.no_grad():
        Zt, Zd = model(Xtr), model(Xdev)
        train_loss = F.binary_cross_entropy_with_logits(Zt, Ytr).item()
        dev_loss = F.binary_cross_entropy_with_logits(Zd, Ydev).item()
        train_acc = ((Zt > 0).float() == Ytr).float().mean().item()
        dev_acc = ((Zd > 0).float() == Ydev).float().mean().item()
    print(f"first non-finite cost at iteration {first_nan}; train acc {train_acc:.3f} dev acc {dev_acc:.3f}")
    fin = lambda v: round(v, 4) if np.isfinite(v) else None
    print("CORPUS_METRIC " + json.dumps({"val_loss": fin(dev_loss), "val_acc": round(dev_acc, 4), "train_loss": fin(train_loss),
                                         "train_acc": round(train_acc, 4), "chance_acc": round(float(max(Y.mean(), 1 - Y.mean())), 4),
                                         "first_nan_iteration": first_nan}))


if __name__ == "__main__":
    main()
