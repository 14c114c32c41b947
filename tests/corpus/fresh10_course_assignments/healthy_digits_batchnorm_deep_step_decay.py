# Course 2 week 3 "Batch Normalization": a 4-hidden-layer network LINEAR -> BATCHNORM -> RELU (x4) -> LINEAR
# on the digits (raw pixels 0..16, standardised per feature), mini-batch SGD with momentum (lr 0.1),
# step learning-rate decay (x0.3 every 8 epochs), 20 epochs, batch 64.
# expect:
# allow:
# forbid: *
# evidence: train_acc 1.000 (train_loss 0.0005), dev_acc 0.988, val_loss 0.054 (chance 0.10); dev cost 0.24 -> 0.054 and still falling as lr decays
import json
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

torch.set_num_threads(1)
np.random.seed(15)
torch.manual_seed(15)


def build_model(layers_dims):
    layers = []
    for a, b in zip(layers_dims[:-2], layers_dims[1:-1]):
        layers += [nn.Linear(a, b, bias=False), nn.BatchNorm1d(b), nn.ReLU()]
    layers.append(nn.Linear(layers_dims[-2], layers_dims[-1]))
    return nn.Sequential(*layers)


def main():
    digits = load_digits()
    X, Y = digits.data.astype(np.float32), digits.target
    perm = np.random.permutation(len(Y))
    X, Y = X[perm], Y[perm]
    mu, sigma = X[:1300].mean(0), X[:1300].std(0) + 1e-8
    X = (X - mu) / sigma
    X, Y = torch.tensor(X), torch.tensor(Y)
    Xtr, Ytr, Xdev, Ydev = X[:1300], Y[:1300], X[1300:], Y[1300:]
    model = build_model([64, 100, 100, 100, 100, 10])
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=8, gamma=0.3)
    for epoch in range(20):
        model.train()
        perm = torch.randperm(1300)
        for k in range(0, 1300 - 63, 64):
            idx = perm[k:k + 64]
            cost = F.cross_entropy(model(Xtr[idx]), Ytr[idx])
            optimizer.zero_grad()
            cost.backward()
            optimizer.step()
        scheduler.step()
        if epoch % 4 == 0:
            model.eval()
            with torch.no_grad():
                dev_cost = F.cross_entropy(model(Xdev), Ydev).item()
            print(f"Cost after epoch {epoch}: {cost.item():.4f}   dev cost {dev_cost:.4f}")
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
