# Course "mini-batch gradient descent" assignment, step 1 is "shuffle (X, Y)" -- here it was skipped.
# The digits training set arrives sorted by label (all 0s, then all 1s, ...) and random_mini_batches()
# slices it in order every epoch, so each stretch of updates sees a single class.
# Network [64, 64, 10] ReLU, He init, SGD with momentum 0.9, lr 0.05, batch 16, 6 epochs.
# expect: non_convergence
# allow: learning_rate_too_high, high_bias
# forbid: *
# evidence: planted (sorted, never shuffled) whole-training-set cost per epoch 2.71, 3.20, 2.85, 1.99, 0.79, 0.67 -> train_acc 0.774, dev_acc 0.736, val_loss 0.85 after 6 epochs; control (--control: shuffle each epoch, all else equal) cost 0.19 after epoch 0 and 0.027 at the end, train_acc 0.996, dev_acc 0.982, val_loss 0.07 (chance 0.10)
# control: --control
import argparse, json
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

torch.set_num_threads(1)
np.random.seed(11)
torch.manual_seed(11)


def random_mini_batches(X, Y, mini_batch_size, shuffle):
    m = X.shape[0]
    order = torch.randperm(m) if shuffle else torch.arange(m)
    return [(X[order[k:k + mini_batch_size]], Y[order[k:k + mini_batch_size]]) for k in range(0, m, mini_batch_size)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="shuffle before slicing mini-batches each epoch")
    args = ap.parse_args()
    digits = load_digits()
    X = digits.data.astype(np.float32) / 16.0
    X = X - X.mean(0)
    perm = np.random.permutation(len(X))
    X, Y = X[perm], digits.target[perm]
    Xtr, Ytr, Xdev, Ydev = X[:1300], Y[:1300], X[1300:], Y[1300:]
    order = np.argsort(Ytr, kind="stable")          # the data came sorted by label
    Xtr, Ytr = Xtr[order], Ytr[order]
    Xtr, Ytr, Xdev, Ydev = map(torch.tensor, (Xtr, Ytr, Xdev, Ydev))
    model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
    with torch.no_grad():
        for lin in (model[0], model[2]):
            lin.weight.copy_(torch.randn_like(lin.weight) * np.sqrt(2.0 / lin.weight.shape[1])); lin.bias.zero_()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    for epoch in range(6):
        for Xb, Yb in random_mini_batches(Xtr, Ytr, 16, shuffle=args.control):
            cost = F.cross_entropy(model(Xb), Yb)
            optimizer.zero_grad()
            cost.backward()
            optimizer.step()
        with torch.no_grad():
            full_cost = F.cross_entropy(model(Xtr), Ytr).item()
        if True:
            print(f"Cost after epoch {epoch}: last mini-batch {cost.item():.4f}, whole training set {full_cost:.4f}")
    with torch.no_grad():
        lt, ld = model(Xtr), model(Xdev)
        train_loss, dev_loss = F.cross_entropy(lt, Ytr).item(), F.cross_entropy(ld, Ydev).item()
        train_acc, dev_acc = (lt.argmax(1) == Ytr).float().mean().item(), (ld.argmax(1) == Ydev).float().mean().item()
    print(f"train acc {train_acc:.3f} dev acc {dev_acc:.3f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(dev_loss, 4), "val_acc": round(dev_acc, 4), "train_loss": round(train_loss, 4),
                                         "train_acc": round(train_acc, 4), "chance_acc": 0.1}))


if __name__ == "__main__":
    main()
