# expect:
# allow:
# forbid: *
# evidence: held-out val_acc 0.992 (chance 0.25), val_loss 0.085 after 6 epochs; train_loss 0.27 is higher only because of dropout
"""MNIST-example-style training (argparse, train()/test(), log_interval, Adadelta + StepLR)
on a synthetic 'strokes' image dataset: 16x16 grey images of 4 stroke shapes drawn at random
positions with noise.  2-D CNN with BatchNorm and Dropout."""
from __future__ import print_function

import argparse
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader, TensorDataset


def make_strokes(n, seed):
    g = torch.Generator().manual_seed(seed)
    imgs = torch.zeros(n, 1, 16, 16)
    labels = torch.randint(0, 4, (n,), generator=g)
    for i in range(n):
        r, c = torch.randint(3, 13, (2,), generator=g).tolist()
        k = labels[i].item()
        if k == 0:      # horizontal bar
            imgs[i, 0, r, max(0, c - 3):c + 4] = 1.0
        elif k == 1:    # vertical bar
            imgs[i, 0, max(0, r - 3):r + 4, c] = 1.0
        elif k == 2:    # diagonal
            for d in range(-3, 4):
                if 0 <= r + d < 16 and 0 <= c + d < 16:
                    imgs[i, 0, r + d, c + d] = 1.0
        else:           # small square blob
            imgs[i, 0, r - 1:r + 2, c - 1:c + 2] = 1.0
    imgs += 0.25 * torch.randn(imgs.shape, generator=g)
    return imgs, labels


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, 1)
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, 3, 1)
        self.bn2 = nn.BatchNorm2d(32)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(32 * 6 * 6, 64)
        self.fc2 = nn.Linear(64, 4)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.relu(self.bn2(self.conv2(x)))
        x = F.max_pool2d(x, 2)
        x = self.dropout1(x)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = self.dropout2(x)
        output = self.fc2(x)
        return F.log_softmax(output, dim=1)


def train(args, model, device, train_loader, optimizer, epoch):
    model.train()
    total = 0.0
    for batch_idx, (data, target) in enumerate(train_loader):
        data, target = data.to(device), target.to(device)
        optimizer.zero_grad()
        output = model(data)
        loss = F.nll_loss(output, target)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(data)
        if batch_idx % args.log_interval == 0:
            print('Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}'.format(
                epoch, batch_idx * len(data), len(train_loader.dataset),
                100. * batch_idx / len(train_loader), loss.item()))
    return total / len(train_loader.dataset)


def test(model, device, test_loader):
    model.eval()
    test_loss = 0
    correct = 0
    with torch.no_grad():
        for data, target in test_loader:
            data, target = data.to(device), target.to(device)
            output = model(data)
            test_loss += F.nll_loss(output, target, reduction='sum').item()
            pred = output.argmax(dim=1, keepdim=True)
            correct += pred.eq(target.view_as(pred)).sum().item()

    test_loss /= len(test_loader.dataset)
    acc = correct / len(test_loader.dataset)
    print('\nTest set: Average loss: {:.4f}, Accuracy: {}/{} ({:.0f}%)\n'.format(
        test_loss, correct, len(test_loader.dataset), 100. * acc))
    return test_loss, acc


def main():
    parser = argparse.ArgumentParser(description='PyTorch strokes example')
    parser.add_argument('--batch-size', type=int, default=64, metavar='N')
    parser.add_argument('--test-batch-size', type=int, default=500, metavar='N')
    parser.add_argument('--epochs', type=int, default=6, metavar='N')
    parser.add_argument('--lr', type=float, default=1.0, metavar='LR')
    parser.add_argument('--gamma', type=float, default=0.7, metavar='M')
    parser.add_argument('--seed', type=int, default=1, metavar='S')
    parser.add_argument('--log-interval', type=int, default=10, metavar='N')
    args = parser.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    device = torch.device("cpu")

    x_tr, y_tr = make_strokes(2400, seed=10)
    x_te, y_te = make_strokes(600, seed=11)
    train_loader = DataLoader(TensorDataset(x_tr, y_tr), batch_size=args.batch_size, shuffle=True)
    test_loader = DataLoader(TensorDataset(x_te, y_te), batch_size=args.test_batch_size)

    model = Net().to(device)
    optimizer = optim.Adadelta(model.parameters(), lr=args.lr)

    scheduler = StepLR(optimizer, step_size=1, gamma=args.gamma)
    for epoch in range(1, args.epochs + 1):
        train_loss = train(args, model, device, train_loader, optimizer, epoch)
        test_loss, test_acc = test(model, device, test_loader)
        scheduler.step()

    print("CORPUS_METRIC " + json.dumps({"val_loss": round(test_loss, 4), "val_acc": round(test_acc, 4),
                                         "train_loss": round(train_loss, 4), "chance_acc": 0.25}))


if __name__ == '__main__':
    main()
