# Softmax classifier [64, 256, 128, 10] (ReLU, He init) on the digits, trained long (60 epochs) to a
# near-zero training error with Adam + weight decay (L2), label smoothing 0.1 and a cosine learning-rate
# schedule; train/dev/test split 1100/350/347.
# expect:
# allow:
# forbid: *
# evidence: train_acc 1.000, dev_acc 0.980, test_acc 0.986 (chance 0.10); smoothed dev cost 0.82 -> 0.57 (floor of label smoothing 0.1 ~0.5), plain dev cross-entropy 0.19
import json
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

torch.set_num_threads(1)
np.random.seed(16)
torch.manual_seed(16)


def main():
    digits = load_digits()
    X = digits.data.astype(np.float32) / 16.0
    X = (X - X.mean(0)) / (X.std(0) + 1e-3)
    perm = np.random.permutation(len(X))
    X, Y = torch.tensor(X[perm]), torch.tensor(digits.target[perm])
    Xtr, Ytr = X[:1100], Y[:1100]
    Xdev, Ydev = X[1100:1450], Y[1100:1450]
    Xte, Yte = X[1450:], Y[1450:]
    model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    with torch.no_grad():
        for m in model:
            if isinstance(m, nn.Linear):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu"); m.bias.zero_()
    epochs = 60
    steps_per_epoch = (1100 + 63) // 64
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=5e-4)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs * steps_per_epoch)
    criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(1100)
        for k in range(0, 1100, 64):
            idx = perm[k:k + 64]
            cost = criterion(model(Xtr[idx]), Ytr[idx])
            optimizer.zero_grad()
            cost.backward()
            optimizer.step()
            scheduler.step()
        if epoch % 10 == 0:
            model.eval()
            with torch.no_grad():
                dev_cost = criterion(model(Xdev), Ydev).item()
            print(f"Cost after epoch {epoch}: {cost.item():.4f}   dev cost {dev_cost:.4f}")
    model.eval()
    with torch.no_grad():
        lt, ld, le = model(Xtr), model(Xdev), model(Xte)
        train_loss, dev_loss = criterion(lt, Ytr).item(), criterion(ld, Ydev).item()
        dev_ce = F.cross_entropy(ld, Ydev).item()
        acc = lambda l, y: (l.argmax(1) == y).float().mean().item()
        train_acc, dev_acc, test_acc = acc(lt, Ytr), acc(ld, Ydev), acc(le, Yte)
    print(f"train acc {train_acc:.3f} dev acc {dev_acc:.3f} test acc {test_acc:.3f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(dev_loss, 4), "val_ce": round(dev_ce, 4), "val_acc": round(dev_acc, 4),
                                         "test_acc": round(test_acc, 4), "train_loss": round(train_loss, 4),
                                         "train_acc": round(train_acc, 4), "chance_acc": 0.1}))


if __name__ == "__main__":
    main()
