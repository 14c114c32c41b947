# expect:
# allow:
# forbid: *
# evidence: test accuracy 386/397 (97.2%), test loss 0.115 (train 0.098 in eval mode, chance 10%); the per-batch 'Train Epoch' losses of batch-8 + dropout jump between ~0.3 and ~1.7 throughout while the test loss falls steadily 1.94 -> 0.10
# native-log: mnist_sgd_small_batch.log
# log-expect:
# log-allow:
"""The OLD pytorch/examples mnist/main.py (2017-2019 era) style, shrunk to the 8x8 sklearn digits:
argparse with --lr (0.03 here) --momentum 0.5, Net with conv1/conv2/conv2_drop (Dropout2d)/fc1/fc2 and
F.dropout(x, training=self.training), optim.SGD(lr, momentum), no scheduler, run with a small
--batch-size 8 (the per-batch 'Train Epoch' losses jump around a lot; the test loss falls steadily).
The printed 'Train Epoch: ...' and 'Test set: ...' lines are also written verbatim to
$CORPUS_LOG_DIR/mnist_sgd_small_batch.log."""
import argparse, os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from sklearn.datasets import load_digits

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
_logf = open(os.path.join(LOG_DIR, "mnist_sgd_small_batch.log"), "w")
def log(line):
    print(line)
    _logf.write(line + "\n"); _logf.flush()


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 10, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(10, 20, kernel_size=3, padding=1)
        self.conv2_drop = nn.Dropout2d()
        self.fc1 = nn.Linear(80, 50)
        self.fc2 = nn.Linear(50, 10)

    def forward(self, x):
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(F.max_pool2d(self.conv2_drop(self.conv2(x)), 2))
        x = x.view(-1, 80)
        x = F.relu(self.fc1(x))
        x = F.dropout(x, training=self.training)
        x = self.fc2(x)
        return F.log_softmax(x, dim=1)


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
            log('Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}'.format(
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

    log('\nTest set: Average loss: {:.4f}, Accuracy: {}/{} ({:.0f}%)\n'.format(
        test_loss, correct, len(test_loader.dataset),
        100. * correct / len(test_loader.dataset)))
    return test_loss, correct / len(test_loader.dataset)


def digits_datasets():
    """Stand-in for datasets.MNIST + transforms.Normalize((0.1307,), (0.3081,))."""
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    perm = np.random.RandomState(0).permutation(len(y))
    X, y = X[perm], y[perm]
    n_train = 1400
    mean, std = X[:n_train].mean(), X[:n_train].std()
    X = (X - mean) / std
    X = torch.tensor(X, dtype=torch.float32).reshape(-1, 1, 8, 8)
    y = torch.tensor(y, dtype=torch.long)
    return (torch.utils.data.TensorDataset(X[:n_train], y[:n_train]),
            torch.utils.data.TensorDataset(X[n_train:], y[n_train:]))


def main():
    # Training settings
    parser = argparse.ArgumentParser(description='PyTorch MNIST Example')
    parser.add_argument('--batch-size', type=int, default=8, metavar='N',
                        help='input batch size for training (default: 8)')
    parser.add_argument('--test-batch-size', type=int, default=1000, metavar='N',
                        help='input batch size for testing (default: 1000)')
    parser.add_argument('--epochs', type=int, default=8, metavar='N',
                        help='number of epochs to train (default: 8)')
    parser.add_argument('--lr', type=float, default=0.03, metavar='LR',
                        help='learning rate (default: 0.03)')
    parser.add_argument('--momentum', type=float, default=0.5, metavar='M',
                        help='SGD momentum (default: 0.5)')
    parser.add_argument('--no-accel', action='store_true', default=False,
                        help='disables accelerator')
    parser.add_argument('--dry-run', action='store_true', default=False,
                        help='quickly check a single pass')
    parser.add_argument('--seed', type=int, default=1, metavar='S',
                        help='random seed (default: 1)')
    parser.add_argument('--log-interval', type=int, default=25, metavar='N',
                        help='how many batches to wait before logging training status')
    parser.add_argument('--save-model', action='store_true', default=False,
                        help='For Saving the current Model')
    args = parser.parse_args()

    torch.manual_seed(args.seed + 10)
    np.random.seed(args.seed)
    random.seed(args.seed)
    torch.set_num_threads(1)
    device = torch.device("cpu")

    train_kwargs = {'batch_size': args.batch_size, 'shuffle': True}
    test_kwargs = {'batch_size': args.test_batch_size}
    dataset1, dataset2 = digits_datasets()
    train_loader = torch.utils.data.DataLoader(dataset1, **train_kwargs)
    test_loader = torch.utils.data.DataLoader(dataset2, **test_kwargs)

    model = Net().to(device)
    optimizer = optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)

    for epoch in range(1, args.epochs + 1):
        train(args, model, device, train_loader, optimizer, epoch)
        test_loss, test_acc = test(model, device, test_loader)

    if args.save_model:
        torch.save(model.state_dict(), os.path.join(tempfile.mkdtemp(), "mnist_cnn.pt"))

    model.eval()
    with torch.no_grad():
        Xtr, ytr = dataset1.tensors
        out = model(Xtr)
        train_loss = F.nll_loss(out, ytr).item(); train_acc = (out.argmax(1) == ytr).float().mean().item()
    _logf.close()
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(test_loss, 4), "val_acc": round(test_acc, 4),
          "train_loss": round(train_loss, 4), "train_acc": round(train_acc, 4), "chance_acc": 0.1}))


if __name__ == '__main__':
    main()
