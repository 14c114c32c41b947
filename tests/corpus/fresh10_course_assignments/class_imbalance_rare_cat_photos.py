# Course 1 week 4 style "cat vs non-cat" deep network (L-layer, [n_x, 20, 7, 5, 1]) on synthetic
# 12x12x3 image arrays (pixels 0..255, divided by 255 and centred), He initialisation, Adam, mini-batches of 64.
# No label noise in this version; a balanced set reaches ~0.97 accuracy.
# Planted: the collected training/dev photos are 95% non-cat, 5% cat (and the cat signal is faint).
# expect: class_imbalance
# allow: overfitting, high_variance
# forbid: *
# evidence: planted (5% cats in train/dev) dev_acc 0.967 vs majority rate 0.95, dev cat recall 0.33 (balanced acc 0.667), balanced test acc 0.663; control (--control: same size, 50% cats) dev cat recall 0.95, balanced dev acc 0.973, balanced test acc 0.977
# control: --control
import argparse, json
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
np.random.seed(1)
torch.manual_seed(1)

PX = 12


def load_cat_dataset(m, rng, templates, cat_frac=0.5):
    """Synthetic 'cat' pictures: a cat has the 'ears+eyes' template somewhere near the centre."""
    y = (rng.rand(m) < cat_frac).astype(np.float32)
    imgs = rng.rand(m, PX, PX, 3) * 0.5 + 0.25
    for i in range(m):
        dx, dy = rng.randint(-1, 2, size=2)
        t = templates[int(y[i])]
        imgs[i] += 0.12 * np.roll(np.roll(t, dx, 0), dy, 1) * (0.6 + 0.8 * rng.rand())
    imgs = np.clip(imgs, 0, 1) * 255.0
    return imgs.reshape(m, -1).astype(np.float32), y


def make_templates(rng):
    t = [rng.randn(PX, PX, 3) for _ in range(2)]
    return [np.sign(x) * (np.abs(x) > 0.8) for x in t]


class LLayerModel(nn.Module):
    def __init__(self, layers_dims):
        super().__init__()
        self.linears = nn.ModuleList([nn.Linear(a, b) for a, b in zip(layers_dims[:-1], layers_dims[1:])])

    def forward(self, X):
        A = X
        for lin in self.linears[:-1]:
            A = F.relu(lin(A))
        return self.linears[-1](A).squeeze(1)


def initialize_parameters_he(model):
    with torch.no_grad():
        for lin in model.linears:
            lin.weight.copy_(torch.randn_like(lin.weight) * np.sqrt(2.0 / lin.weight.shape[1]))
            lin.bias.zero_()


def accuracy(model, X, Y):
    with torch.no_grad():
        logits = model(X)
        return F.binary_cross_entropy_with_logits(logits, Y).item(), ((logits > 0).float() == Y).float().mean().item()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--num_epochs", type=int, default=25)
    ap.add_argument("--control", action="store_true", help="collect a balanced training/dev set (50% cats)")
    args = ap.parse_args()
    rng = np.random.RandomState(0)
    templates = make_templates(rng)
    X, Y = load_cat_dataset(1300, rng, templates, cat_frac=0.5 if args.control else 0.05)
    X2, Y2 = load_cat_dataset(300, rng, templates, cat_frac=0.5)  # balanced test set
    X, Y = np.concatenate([X, X2]), np.concatenate([Y, Y2])
    X = X / 255.0 - 0.5
    X, Y = torch.tensor(X), torch.tensor(Y)
    Xtr, Ytr = X[:1000], Y[:1000]
    Xdev, Ydev = X[1000:1300], Y[1000:1300]
    Xte, Yte = X[1300:], Y[1300:]
    model = LLayerModel([PX * PX * 3, 20, 7, 5, 1])
    initialize_parameters_he(model)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001, betas=(0.9, 0.999), eps=1e-8)
    mini_batch_size = 64
    for epoch in range(args.num_epochs):
        perm = torch.randperm(Xtr.shape[0])
        epoch_cost = 0.0
        for k in range(0, Xtr.shape[0], mini_batch_size):
            idx = perm[k:k + mini_batch_size]
            cost = F.binary_cross_entropy_with_logits(model(Xtr[idx]), Ytr[idx])
            optimizer.zero_grad()
            cost.backward()
            optimizer.step()
            epoch_cost += cost.item() * len(idx) / Xtr.shape[0]
        if epoch % 5 == 0:
            model.eval()
            _, dacc = accuracy(model, Xdev, Ydev)
            model.train()
            print(f"Cost after epoch {epoch}: {epoch_cost:.4f}  dev acc {dacc:.3f}")
    model.eval()
    train_loss, train_acc = accuracy(model, Xtr, Ytr)
    dev_loss, dev_acc = accuracy(model, Xdev, Ydev)
    test_loss, test_acc = accuracy(model, Xte, Yte)
    with torch.no_grad():
        pred = (model(Xdev) > 0).float()
        recalls = [((pred == c) & (Ydev == c)).float().sum().item() / max(1.0, (Ydev == c).float().sum().item()) for c in (0.0, 1.0)]
    majority_rate = max(Ydev.mean().item(), 1 - Ydev.mean().item())
    print(f"dev recall non-cat {recalls[0]:.3f} cat {recalls[1]:.3f}; majority rate {majority_rate:.3f}")
    print(f"train acc {train_acc:.3f} dev acc {dev_acc:.3f} test acc {test_acc:.3f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(dev_loss, 4), "val_acc": round(dev_acc, 4), "val_balanced_acc": round(sum(recalls) / 2, 4), "val_cat_recall": round(recalls[1], 4), "majority_rate": round(majority_rate, 4), "balanced_test_acc": round(test_acc, 4),
                                         "train_loss": round(train_loss, 4), "train_acc": round(train_acc, 4),
                                         "chance_acc": 0.5}))


if __name__ == "__main__":
    main()
