# expect:
# allow:
# forbid: *
# evidence: small conv net (Adadelta + StepLR, pytorch/examples mnist) on 12x12 glyph images, 5 classes; test acc 0.997, test loss 0.023, train loss 0.016 (chance 0.20)
"""Adapted from pytorch/examples mnist/main.py, on generated glyph images instead of MNIST."""
from __future__ import print_function
import argparse
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import TensorDataset, DataLoader


def make_glyphs(n, g):
    """5 classes: horizontal bar, vertical bar, hollow square, plus sign, diagonal."""
    X = torch.zeros(n, 1, 12, 12)
    y = torch.randint(0, 5, (n,), generator=g)
    for i in range(n):
        r = int(torch.randint(2, 8, (1,), generator=g))
        c = int(torch.randint(2, 8, (1,), generator=g))
        k = int(y[i])
        img = X[i, 0]
        if k == 0:
            img[r, c - 2:c + 3] = 1.0
        elif k == 1:
            img[r - 2:r + 3, c] = 1.0
        elif k == 2:
            img[r - 2:r + 3, c - 2] = 1.0; img[r - 2:r + 3, c + 2] = 1.0
            img[r - 2, c - 2:c + 3] = 1.0; img[r + 2, c - 2:c + 3] = 1.0
        elif k == 3:
            img[r, c - 2:c + 3] = 1.0; img[r - 2:r + 3, c] = 1.0
        else:
            for d in range(-2, 3):
                img[r + d, c + d] = 1.0
    X += 0.25 * torch.randn(X.shape, generator=g)
    X = (X - 0.1) / 0.35          # like transforms.Normalize((0.1307,), (0.3081,))
    return X, y


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, 1)
        self.conv2 = nn.Conv2d(16, 32, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(32 * 4 * 4, 64)
        self.fc2 = nn.Linear(64, 5)

    def forward(self, x):
        x = self.conv1(x)
        x = F.relu(x)
        x = self.conv2(x)
        x = F.relu(x)
        x = F.max_pool2d(x, 2)
        x = self.dropout1(x)
        x = torch.flatten(x, 1)
        x = self.fc1(x)
        x = F.relu(x)
        x = self.dropout2(x)
        x = self.fc2(x)
        output = F.log_softmax(x, dim=1)
        return output


def train(args, model, device, train_loader, optimizer, epoch):
    model.train()
    for batch_idx, (data, target) in enumerate(train_loader):
        data, target = data.to(device), target.to(device)
        optimizer.zero_grad()
        output = model(data)
        loss = F.nll_loss(output, target)
        loss.backward()
        optimizer.step()
        if batch_idx % args.log_interval == 0:
            print('Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}'.format(
                epoch, batch_idx * len(data), len(train_loader.dataset),
                100. * batch_idx / len(train_loader), loss.item()))
            if args.dry_run:
                break


def test(model, device, test_loader):
    model.eval()
    test_loss = 0
    correct = 0
    with torch.no_grad():
        for data, target in test_loader:
            data, target = data.to(device), target.to(device)
            output = model(data)
            test_loss += F.nll_loss(output, target, reduction='sum').item()  # sum up batch loss
            pred = output.argmax(dim=1, keepdim=True)  # get the index of the max log-probability
            correct += pred.eq(target.view_as(pred)).sum().item()

    test_loss /= len(test_loader.dataset)

    print('\nTest set: Average loss: {:.4f}, Accuracy: {}/{} ({:.0f}%)\n'.format(
        test_loss, correct, len(test_loader.dataset),
        100. * correct / len(test_loader.dataset)))
    return test_loss, correct / len(test_loader.dataset)


def main():
    # Training settings
    parser = argparse.ArgumentParser(description='PyTorch glyph Example')
    parser.add_argument('--batch-size', type=int, default=64, metavar='N',
                        help='input batch size for training (default: 64)')
    parser.add_argument('--test-batch-size', type=int, default=500, metavar='N',
                        help='input batch size for testing (default: 500)')
    parser.add_argument('--epochs', type=int, default=6, metavar='N',
                        help='number of epochs to train (default: 6)')
    parser.add_argument('--lr', type=float, default=1.0, metavar='LR',
                        help='learning rate (default: 1.0)')
    parser.add_argument('--gamma', type=float, default=0.7, metavar='M',
                        help='Learning rate step gamma (default: 0.7)')
    parser.add_argument('--no-cuda', action='store_true', default=False,
                        help='disables CUDA training')
    parser.add_argument('--dry-run', action='store_true', default=False,
                        help='quickly check a single pass')
    parser.add_argument('--seed', type=int, default=1, metavar='S',
                        help='random seed (default: 1)')
    parser.add_argument('--log-interval', type=int, default=10, metavar='N',
                        help='how many batches to wait before logging training status')
    args = parser.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    device = torch.device("cpu")

    g = torch.Generator().manual_seed(args.seed)
    Xtr, ytr = make_glyphs(3000, g)
    Xte, yte = make_glyphs(1000, g)
    train_loader = DataLoader(TensorDataset(Xtr, ytr), batch_size=args.batch_size, shuffle=True)
    test_loader = DataLoader(TensorDataset(Xte, yte), batch_size=args.test_batch_size)

    model = Net().to(device)
    optimizer = optim.Adadelta(model.parameters(), lr=args.lr)

    scheduler = StepLR(optimizer, step_size=1, gamma=args.gamma)
    for epoch in range(1, args.epochs + 1):
        train(args, model, device, train_loader, optimizer, epoch)
        test_loss, test_acc = test(model, device, test_loader)
        scheduler.step()

    model.eval()
    with torch.no_grad():
        train_loss = F.nll_loss(model(Xtr), ytr).item()
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(test_loss, 4), "val_acc": round(test_acc, 4),
                                         "train_loss": round(train_loss, 4), "chance_acc": 0.2}))


if __name__ == '__main__':
    main()
