# expect: learning_rate_too_high
# allow: non_convergence, dead_units, exploding_gradients, high_bias, non_finite
# forbid: *
# evidence: planted (RMSprop lr=0.05): test acc 0.591, loss 1.180 after 10 epochs; control (lr=3e-3): test acc 0.951, loss 0.163 (chance 0.10). sweep: lr 0.2 -> 0.112, 0.1 -> 0.187, 0.01 -> 0.956, 1e-3 -> 0.883
# control: --control
"""PyTorch-examples-style script (argparse, train()/test() with log_interval) on 8x8 synthetic
'digits': 10 stroke prototypes, randomly shifted by a pixel, with ink noise.  MLP trained with
RMSprop at lr=0.05 - a value that would be fine for plain SGD but is ~15x too big for RMSprop,
whose steps are ~lr per weight regardless of the gradient size.  --control sets lr=3e-3."""
import argparse
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def make_digits(n, seed):
    g = torch.Generator().manual_seed(100)
    protos = (torch.rand(10, 10, 10, generator=g) < 0.3).float()  # 10 prototypes on a 10x10 canvas
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 10, (n,), generator=g)
    dx = torch.randint(0, 3, (n,), generator=g)
    dy = torch.randint(0, 3, (n,), generator=g)
    imgs = torch.stack([protos[y[i], dy[i]:dy[i] + 8, dx[i]:dx[i] + 8] for i in range(n)])
    flip = torch.rand(n, 8, 8, generator=g) < 0.12
    imgs = torch.where(flip, 1 - imgs, imgs)
    return imgs.view(n, 64), y


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 128)
        self.fc2 = nn.Linear(128, 128)
        self.fc3 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def train(args, model, loader, optimizer, epoch):
    model.train()
    for batch_idx, (data, target) in enumerate(loader):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(data), target)
        loss.backward()
        optimizer.step()
        if batch_idx % args.log_interval == 0:
            print(f"Train Epoch: {epoch} [{batch_idx * len(data)}/{len(loader.dataset)}]\tLoss: {loss.item():.6f}")


def test(model, loader):
    model.eval()
    loss, correct = 0.0, 0
    with torch.no_grad():
        for data, target in loader:
            out = model(data)
            loss += F.cross_entropy(out, target, reduction="sum").item()
            correct += (out.argmax(1) == target).sum().item()
    n = len(loader.dataset)
    print(f"\nTest set: Average loss: {loss / n:.4f}, Accuracy: {correct}/{n} ({100. * correct / n:.0f}%)\n")
    return loss / n, correct / n


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--control", action="store_true", help="use lr=3e-3")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--log-interval", type=int, default=20)
    args = parser.parse_args()
    if args.control:
        args.lr = 3e-3

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    x_tr, y_tr = make_digits(3000, 1)
    x_te, y_te = make_digits(1000, 2)
    train_loader = DataLoader(TensorDataset(x_tr, y_tr), batch_size=args.batch_size, shuffle=True)
    test_loader = DataLoader(TensorDataset(x_te, y_te), batch_size=1000)

    model = MLP()
    optimizer = torch.optim.RMSprop(model.parameters(), lr=args.lr)
    for epoch in range(1, args.epochs + 1):
        train(args, model, train_loader, optimizer, epoch)
        test_loss, test_acc = test(model, test_loader)

    print("CORPUS_METRIC " + json.dumps({"val_loss": round(test_loss, 4), "val_acc": round(test_acc, 4),
                                         "chance_acc": 0.1, "lr": args.lr}))


if __name__ == "__main__":
    main()
