# Improving Deep Neural Networks, "Initialization" assignment: 3-layer ReLU net
# (LINEAR->RELU->LINEAR->RELU->LINEAR->SIGMOID) on the two-circles data, initialised with zeros.
# expect: poor_initialization
# allow: non_convergence, vanishing_gradients, dead_units, high_bias
# forbid: *
# evidence: planted (all weights and biases zero) cost stays 0.6931 for all 5000 iterations (hidden units identical/zero, no gradient reaches W1,W2), train_acc 0.505, dev_acc 0.49, val_loss 0.693 (chance 0.5); control (--control: He init, same lr/iterations) train_acc 1.0, dev_acc 1.0, val_loss 0.012
# control: --control
import argparse, json
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_circles

torch.set_num_threads(1)
np.random.seed(3)
torch.manual_seed(3)


class ThreeLayerNet(nn.Module):
    def __init__(self, layers_dims):
        super().__init__()
        self.l1 = nn.Linear(layers_dims[0], layers_dims[1])
        self.l2 = nn.Linear(layers_dims[1], layers_dims[2])
        self.l3 = nn.Linear(layers_dims[2], layers_dims[3])

    def forward(self, X):
        A1 = F.relu(self.l1(X))
        A2 = F.relu(self.l2(A1))
        return self.l3(A2).squeeze(1)


def initialize_parameters_zeros(model):
    with torch.no_grad():
        for layer in (model.l1, model.l2, model.l3):
            layer.weight.zero_()
            layer.bias.zero_()


def initialize_parameters_he(model):
    with torch.no_grad():
        for layer in (model.l1, model.l2, model.l3):
            fan_in = layer.weight.shape[1]
            layer.weight.copy_(torch.randn_like(layer.weight) * np.sqrt(2.0 / fan_in))
            layer.bias.zero_()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="He initialisation instead of zeros")
    ap.add_argument("--num_iterations", type=int, default=5000)
    args = ap.parse_args()
    X, Y = make_circles(n_samples=600, noise=0.05, factor=0.5, random_state=1)
    X, Y = torch.tensor(X, dtype=torch.float32), torch.tensor(Y, dtype=torch.float32)
    Xtr, Ytr, Xdev, Ydev = X[:400], Y[:400], X[400:], Y[400:]
    model = ThreeLayerNet([2, 10, 5, 1])
    if args.control:
        initialize_parameters_he(model)
    else:
        initialize_parameters_zeros(model)
    learning_rate = 0.02
    costs = []
    for i in range(args.num_iterations):
        cost = F.binary_cross_entropy_with_logits(model(Xtr), Ytr)
        model.zero_grad()
        cost.backward()
        with torch.no_grad():
            for p in model.parameters():
                p -= learning_rate * p.grad
        if i % 1000 == 0:
            print(f"Cost after iteration {i}: {cost.item()}")
            costs.append(cost.item())
    with torch.no_grad():
        lt = model(Xtr)
        train_loss = F.binary_cross_entropy_with_logits(lt, Ytr).item()
        train_acc = ((lt > 0).float() == Ytr).float().mean().item()
        ld = model(Xdev)
        dev_loss = F.binary_cross_entropy_with_logits(ld, Ydev).item()
        dev_acc = ((ld > 0).float() == Ydev).float().mean().item()
    print(f"On the train set: accuracy {train_acc:.3f}; on the dev set: accuracy {dev_acc:.3f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(dev_loss, 4), "val_acc": round(dev_acc, 4),
                                         "train_loss": round(train_loss, 4), "train_acc": round(train_acc, 4), "chance_acc": 0.5}))


if __name__ == "__main__":
    main()
