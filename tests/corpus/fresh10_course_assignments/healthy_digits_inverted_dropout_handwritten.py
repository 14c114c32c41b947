# Improving Deep Neural Networks, "Regularization" assignment: inverted dropout written by hand
# (D = rand < keep_prob; A = A * D / keep_prob) in a 3-layer ReLU net [64, 128, 64, 10] on the digits,
# He init, Adam (beta1 0.9, beta2 0.999, eps 1e-8), mini-batches of 32, 25 epochs. No dropout at test time.
# expect:
# allow:
# forbid: *
# evidence: train_acc 0.999, dev_acc 0.982, val_loss 0.058 (chance 0.10) after 25 epochs; dev acc 0.83 -> 0.98
import json
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

torch.set_num_threads(1)
np.random.seed(12)
torch.manual_seed(12)


class DropoutNet(nn.Module):
    def __init__(self, keep_prob=0.8):
        super().__init__()
        self.l1, self.l2, self.l3 = nn.Linear(64, 128), nn.Linear(128, 64), nn.Linear(64, 10)
        self.keep_prob = keep_prob

    def forward(self, X):
        A1 = F.relu(self.l1(X))
        if self.training:
            D1 = (torch.rand_like(A1) < self.keep_prob).float()
            A1 = A1 * D1 / self.keep_prob
        A2 = F.relu(self.l2(A1))
        if self.training:
            D2 = (torch.rand_like(A2) < self.keep_prob).float()
            A2 = A2 * D2 / self.keep_prob
        return self.l3(A2)


def initialize_parameters_he(model):
    with torch.no_grad():
        for lin in (model.l1, model.l2, model.l3):
            lin.weight.copy_(torch.randn_like(lin.weight) * np.sqrt(2.0 / lin.weight.shape[1]))
            lin.bias.zero_()


def main():
    digits = load_digits()
    X = digits.data.astype(np.float32) / 16.0
    X = X - X.mean(0)
    perm = np.random.permutation(len(X))
    X, Y = torch.tensor(X[perm]), torch.tensor(digits.target[perm])
    Xtr, Ytr, Xdev, Ydev = X[:1300], Y[:1300], X[1300:], Y[1300:]
    model = DropoutNet(keep_prob=0.8)
    initialize_parameters_he(model)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    for epoch in range(25):
        model.train()
        perm = torch.randperm(1300)
        for k in range(0, 1300, 32):
            idx = perm[k:k + 32]
            cost = F.cross_entropy(model(Xtr[idx]), Ytr[idx])
            optimizer.zero_grad()
            cost.backward()
            optimizer.step()
        if epoch % 5 == 0:
            model.eval()
            with torch.no_grad():
                dev_acc = (model(Xdev).argmax(1) == Ydev).float().mean().item()
            print(f"Cost after epoch {epoch}: {cost.item():.4f}   dev acc {dev_acc:.3f}")
    model.eval()
    with torch.no_grad():
        lt, ld = model(Xtr), model(Xdev)
        train_loss, dev_loss = F.cross_entropy(lt, Ytr).item(), F.cross_entropy(ld, Ydev).item()
        train_acc, dev_acc = (lt.argmax(1) == Ytr).float().mean().item(), (ld.argmax(1) == Ydev).float().mean().item()
    print(f"train acc {train_acc:.3f} dev acc {dev_acc:.3f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(dev_loss, 4), "val_acc": round(dev_acc, 4), "train_loss": round(train_loss, 4),
                                         "train_acc": round(train_acc, 4), "chance_acc": 0.1}))


if __name__ == "__main__":
    main()
