# "Why deep nets were hard to train" exercise: an 8-hidden-layer fully connected network with SIGMOID
# hidden units on the digits (pixel/16, centred), Xavier-style init W = randn*sqrt(1/n_prev),
# mini-batch SGD with momentum, 15 epochs. Prints the gradient norm of every layer once per epoch.
# Planted: sigmoid activations throughout a deep stack.
# expect: vanishing_gradients
# allow: non_convergence, saturated_activations, high_bias
# forbid: *
# evidence: planted (sigmoid x8) layer-1 weight grad norm ~6e-6 vs last layer ~0.8 (5 orders of magnitude) every epoch, cost stays ~2.30, train_acc 0.108, dev_acc 0.085 (chance 0.10); control (--control: ReLU + He init, same optimiser) layer-1 grad norm ~1 vs last ~0.5, dev_acc 0.964, val_loss 0.18
# control: --control
import argparse, json
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

torch.set_num_threads(1)
np.random.seed(5)
torch.manual_seed(5)


class DeepNet(nn.Module):
    def __init__(self, layers_dims, activation):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(a, b) for a, b in zip(layers_dims[:-1], layers_dims[1:])])
        self.activation = activation

    def forward(self, X):
        A = X
        for lin in self.layers[:-1]:
            A = self.activation(lin(A))
        return self.layers[-1](A)


def initialize_parameters(model, kind):
    with torch.no_grad():
        for lin in model.layers:
            n_prev = lin.weight.shape[1]
            scale = np.sqrt(2.0 / n_prev) if kind == "he" else np.sqrt(1.0 / n_prev)
            lin.weight.copy_(torch.randn_like(lin.weight) * scale)
            lin.bias.zero_()


def evaluate(model, X, Y):
    with torch.no_grad():
        logits = model(X)
        return F.cross_entropy(logits, Y).item(), (logits.argmax(1) == Y).float().mean().item()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="ReLU hidden units with He init instead of sigmoid")
    args = ap.parse_args()
    digits = load_digits()
    X = digits.data.astype(np.float32) / 16.0
    X = X - X.mean(0)
    perm = np.random.permutation(len(X))
    X, Y = torch.tensor(X[perm]), torch.tensor(digits.target[perm])
    Xtr, Ytr, Xdev, Ydev = X[:1300], Y[:1300], X[1300:], Y[1300:]
    dims = [64] + [48] * 8 + [10]
    if args.control:
        model = DeepNet(dims, F.relu); initialize_parameters(model, "he")
    else:
        model = DeepNet(dims, torch.sigmoid); initialize_parameters(model, "xavier")
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    for epoch in range(15):
        perm = torch.randperm(1300)
        for k in range(0, 1300, 64):
            idx = perm[k:k + 64]
            cost = F.cross_entropy(model(Xtr[idx]), Ytr[idx])
            optimizer.zero_grad()
            cost.backward()
            optimizer.step()
        if epoch % 3 == 0:
            gn = [lin.weight.grad.norm().item() for lin in model.layers]
            print(f"Cost after epoch {epoch}: {cost.item():.4f}  grad norm layer1 {gn[0]:.2e} ... last {gn[-1]:.2e}")
    train_loss, train_acc = evaluate(model, Xtr, Ytr)
    dev_loss, dev_acc = evaluate(model, Xdev, Ydev)
    print(f"train acc {train_acc:.3f} dev acc {dev_acc:.3f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(dev_loss, 4), "val_acc": round(dev_acc, 4), "train_loss": round(train_loss, 4),
                                         "train_acc": round(train_acc, 4), "chance_acc": 0.1, "grad_norm_first": gn[0], "grad_norm_last": gn[-1]}))


if __name__ == "__main__":
    main()
