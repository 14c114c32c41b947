# Course 1 week 2 "Logistic Regression with a Neural Network mindset": flatten 12x12x3 synthetic
# cat / non-cat pictures, standardise (/255), initialize_with_zeros(dim) for w and b (fine for a convex
# model), propagate / optimize with batch gradient descent written by hand, lr 0.005, 2000 iterations,
# "Cost after iteration i" every 100 iterations. Bayes error: 3% of labels flipped.
# expect:
# allow:
# forbid: *
# evidence: train_acc 0.976, test(dev)_acc 0.965, val_loss 0.18 (chance 0.5, Bayes error 0.03 from flipped labels); cost 0.693 -> 0.128 after 2000 iterations
import json
import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
np.random.seed(17)
torch.manual_seed(17)
PX = 12


def load_dataset(m, rng, templates):
    y = (rng.rand(m) < 0.5).astype(np.float32)
    imgs = rng.rand(m, PX, PX, 3) * 0.5 + 0.25
    for i in range(m):
        imgs[i] += 0.2 * templates[int(y[i])] * (0.6 + 0.8 * rng.rand())
    imgs = np.clip(imgs, 0, 1) * 255.0
    flip = rng.rand(m) < 0.03
    y[flip] = 1 - y[flip]
    return imgs.reshape(m, -1).astype(np.float32), y


def initialize_with_zeros(dim):
    w = torch.zeros(dim, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    return w, b


def propagate(w, b, X, Y):
    Z = X @ w + b
    cost = F.binary_cross_entropy_with_logits(Z, Y)
    return Z, cost


def optimize(w, b, X, Y, num_iterations, learning_rate, print_cost=True):
    costs = []
    for i in range(num_iterations):
        _, cost = propagate(w, b, X, Y)
        dw, db = torch.autograd.grad(cost, [w, b])
        with torch.no_grad():
            w -= learning_rate * dw
            b -= learning_rate * db
        if i % 100 == 0:
            costs.append(cost.item())
            if print_cost and i % 500 == 0:
                print(f"Cost after iteration {i}: {cost.item():.6f}")
    return costs


def main():
    rng = np.random.RandomState(17)
    templates = [np.sign(rng.randn(PX, PX, 3)) for _ in range(2)]
    X, Y = load_dataset(900, rng, templates)
    X = X / 255.0
    X, Y = torch.tensor(X), torch.tensor(Y)
    train_set_x, train_set_y = X[:500], Y[:500]
    test_set_x, test_set_y = X[500:], Y[500:]
    w, b = initialize_with_zeros(train_set_x.shape[1])
    optimize(w, b, train_set_x, train_set_y, num_iterations=2000, learning_rate=0.005)
    with torch.no_grad():
        Zt, train_loss = propagate(w, b, train_set_x, train_set_y)
        Zd, test_loss = propagate(w, b, test_set_x, test_set_y)
        train_acc = ((Zt > 0).float() == train_set_y).float().mean().item()
        test_acc = ((Zd > 0).float() == test_set_y).float().mean().item()
    print(f"train accuracy: {100 * train_acc:.1f} %   test accuracy: {100 * test_acc:.1f} %")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(test_loss.item(), 4), "val_acc": round(test_acc, 4),
                                         "train_loss": round(train_loss.item(), 4), "train_acc": round(train_acc, 4),
                                         "chance_acc": 0.5, "bayes_error": 0.03}))


if __name__ == "__main__":
    main()
