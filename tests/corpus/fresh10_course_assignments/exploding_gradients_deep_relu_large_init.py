# "Exploding gradients" exercise: a 10-hidden-layer ReLU network on the digits (pixel/16, centred),
# mini-batch SGD with momentum. Planted: initialize_parameters uses W = randn*sqrt(8/n_prev)
# ("bigger is safer" misreading of He) -> every layer multiplies the signal scale by 2.
# expect: exploding_gradients
# allow: poor_initialization, non_finite, non_convergence, learning_rate_too_high, dead_units, high_bias
# forbid: *
# evidence: planted (W*sqrt(8/n)) cost at init 308, first-step weight-gradient norms 230-390 in every layer (control: 0.1-0.2), the first update blows the net up and cost/gradients are NaN from epoch 0 on; train_acc 0.102, dev_acc 0.091 (chance 0.10); control (--control: He sqrt(2/n)) cost at init 2.30, dev_acc 0.974, val_loss 0.14
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
            scale = np.sqrt(2.0 / n_prev) if kind == "he" else np.sqrt(8.0 / n_prev)
            lin.weight.copy_(torch.randn_like(lin.weight) * scale)
            lin.bias.zero_()


def evaluate(model, X, Y):
    with torch.no_grad():
        logits = model(X)
        return F.cross_entropy(logits, Y).item(), (logits.argmax(1) == Y).float().mean().item()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="He init sqrt(2/n_prev)")
    args = ap.parse_args()
    digits = load_digits()
    X = digits.data.astype(np.float32) / 16.0
    X = X - X.mean(0)
    perm = np.random.permutation(len(X))
    X, Y = torch.tensor(X[perm]), torch.tensor(digits.target[perm])
    Xtr, Ytr, Xdev, Ydev = X[:1300], Y[:1300], X[1300:], Y[1300:]
    dims = [64] + [48] * 10 + [10]
    if args.control:
        model = DeepNet(dims, F.relu); initialize_parameters(model, "he")
    else:
        model = DeepNet(dims, F.relu); initialize_parameters(model, "large")
    with torch.no_grad():
        cost0 = F.cross_entropy(model(Xtr), Ytr)
    print(f"cost at initialisation: {cost0.item():.3e}")
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(15):
        perm = torch.randperm(1300)
        for k in range(0, 1300, 64):
            idx = perm[k:k + 64]
            cost = F.cross_entropy(model(Xtr[idx]), Ytr[idx])
            optimizer.zero_grad()
            cost.backward()
            if epoch == 0 and k == 0:
                g0 = [lin.weight.grad.norm().item() for lin in model.layers]
                print("first-step grad norm per layer (input -> output): " + " ".join(f"{g:.1e}" for g in g0))
            optimizer.step()
        if epoch % 3 == 0:
            gn = [lin.weight.grad.norm().item() for lin in model.layers]
            print(f"Cost after epoch {epoch}: {cost.item():.4f}  grad norm layer1 {gn[0]:.2e} ... last {gn[-1]:.2e}")
    train_loss, train_acc = evaluate(model, Xtr, Ytr)
    dev_loss, dev_acc = evaluate(model, Xdev, Ydev)
    print(f"train acc {train_acc:.3f} dev acc {dev_acc:.3f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(dev_loss, 4) if np.isfinite(dev_loss) else None, "val_acc": round(dev_acc, 4), "train_loss": round(train_loss, 4) if np.isfinite(train_loss) else None,
                                         "train_acc": round(train_acc, 4), "chance_acc": 0.1, "step0_grad_norm_first": round(g0[0], 4), "step0_grad_norm_last": round(g0[-1], 4)}))


if __name__ == "__main__":
    main()
