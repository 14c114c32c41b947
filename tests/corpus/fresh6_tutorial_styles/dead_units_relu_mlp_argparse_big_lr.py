# expect: dead_units
# allow: learning_rate_too_high, non_convergence, high_bias
# forbid: *
# evidence: SGD lr 0.3 momentum 0.9: 35% of hidden ReLUs never fire on 2000 inputs, val acc 0.467 (majority 0.295); control lr 0.01: 0.6% dead, val acc 0.828
# control: --control
"""MNIST-example structure (argparse, train/test functions, "Train Epoch" prints) with a 3-hidden-layer
ReLU MLP on generated tabular data (12 features, 5 classes from a teacher network)."""
import argparse
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.fc1 = nn.Linear(12, 256)
        self.fc2 = nn.Linear(256, 256)
        self.fc3 = nn.Linear(256, 128)
        self.fc4 = nn.Linear(128, 5)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = F.relu(self.fc3(x))
        return F.log_softmax(self.fc4(x), dim=1)


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


def test(model, device, test_loader):
    model.eval()
    test_loss = 0
    correct = 0
    with torch.no_grad():
        for data, target in test_loader:
            output = model(data)
            test_loss += F.nll_loss(output, target, reduction='sum').item()
            pred = output.argmax(dim=1, keepdim=True)
            correct += pred.eq(target.view_as(pred)).sum().item()
    test_loss /= len(test_loader.dataset)
    print('\nTest set: Average loss: {:.4f}, Accuracy: {}/{} ({:.0f}%)\n'.format(
        test_loss, correct, len(test_loader.dataset), 100. * correct / len(test_loader.dataset)))
    return test_loss, correct / len(test_loader.dataset)


def dead_fraction(model, x):
    """fraction of hidden ReLU units that output 0 for every example in x"""
    with torch.no_grad():
        h1 = F.relu(model.fc1(x)); h2 = F.relu(model.fc2(h1)); h3 = F.relu(model.fc3(h2))
        dead = sum(int((h.max(0).values <= 0).sum()) for h in (h1, h2, h3))
    return dead / (256 + 256 + 128)


def main():
    parser = argparse.ArgumentParser(description='PyTorch tabular Example')
    parser.add_argument('--batch-size', type=int, default=64, metavar='N')
    parser.add_argument('--epochs', type=int, default=8, metavar='N')
    parser.add_argument('--lr', type=float, default=0.3, metavar='LR', help='learning rate (default: 0.3)')
    parser.add_argument('--momentum', type=float, default=0.9, metavar='M', help='SGD momentum (default: 0.9)')
    parser.add_argument('--seed', type=int, default=1, metavar='S')
    parser.add_argument('--log-interval', type=int, default=40, metavar='N')
    parser.add_argument('--control', action='store_true', help='use lr=0.01')
    args = parser.parse_args()
    if args.control:
        args.lr = 0.01

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    device = torch.device("cpu")

    tW1, tW2 = torch.randn(12, 10) * 0.5, torch.randn(10, 5)
    X = torch.randn(10000, 12)
    Y = torch.argmax(torch.tanh(X @ tW1) @ tW2, 1)
    train_loader = DataLoader(TensorDataset(X[:8000], Y[:8000]), batch_size=args.batch_size, shuffle=True)
    test_loader = DataLoader(TensorDataset(X[8000:], Y[8000:]), batch_size=1000)

    model = Net().to(device)
    optimizer = optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    print("dead ReLU fraction at init: {:.3f}".format(dead_fraction(model, X[:2000])))
    for epoch in range(1, args.epochs + 1):
        train(args, model, device, train_loader, optimizer, epoch)
        test_loss, test_acc = test(model, device, test_loader)
        print("dead ReLU fraction: {:.3f}".format(dead_fraction(model, X[:2000])))

    with torch.no_grad():
        train_loss = F.nll_loss(model(X[:8000]), Y[:8000]).item()
    dead = dead_fraction(model, X[:2000])
    chance = torch.bincount(Y[8000:]).max().item() / 2000
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(test_loss, 4), "val_acc": round(test_acc, 4),
                                         "train_loss": round(train_loss, 4), "chance_acc": round(chance, 4),
                                         "dead_relu_fraction": round(dead, 3)}))


if __name__ == '__main__':
    main()
