# expect: data_mismatch
# allow:
# forbid: *
# evidence: planted: train acc 0.967, validation (same source) acc 0.943 / loss 0.208, test (other scanner) acc 0.673 / loss 0.975. control (test drawn like train/val): test acc 0.950 / loss 0.148 with the identical model (val 0.943)
# control: --control
"""pytorch/examples mnist/main.py style (argparse, Net with conv1/conv2/dropout1/dropout2/fc1/fc2,
train() printing 'Train Epoch: ...', test() printing '<name> set: Average loss: ...', Adadelta +
StepLR(gamma=0.7)) on the 8x8 digits, with a held-out validation split drawn like the training data
and a TEST split that comes from "another scanner": the digits are smeared (3x3 box blur), at
lower contrast on a brighter background, with sensor noise and a slight slant. Train and validation look great; the test
set is much worse. --control draws the test split exactly like train/val (no scanner change)."""
import argparse, os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.optim.lr_scheduler import StepLR
from sklearn.datasets import load_digits

def log(line):
    print(line)


def other_scanner(X, rs):
    """Digits as seen by a different device: 3x3 box blur, lower contrast, brighter background, noise,
    and a slant (rows in the lower half moved one pixel to the right)."""
    X[:, 4:, :] = np.roll(X[:, 4:, :], 1, axis=2)
    P = np.pad(X, ((0, 0), (1, 1), (1, 1)))
    B = sum(P[:, i:i + 8, j:j + 8] for i in range(3) for j in range(3)) / 9.0
    X = 0.7 * (0.5 * X + 0.5 * B) + 0.1 + rs.normal(0, 0.06, X.shape)
    return np.clip(X, 0, 1)


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, 1)
        self.conv2 = nn.Conv2d(16, 32, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(128, 64)
        self.fc2 = nn.Linear(64, 10)

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
            log('Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}'.format(
                epoch, batch_idx * len(data), len(train_loader.dataset),
                100. * batch_idx / len(train_loader), loss.item()))
            if args.dry_run:
                break


def test(model, device, test_loader, name='Test'):
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

    log('\n' + name + ' set: Average loss: {:.4f}, Accuracy: {}/{} ({:.0f}%)\n'.format(
        test_loss, correct, len(test_loader.dataset),
        100. * correct / len(test_loader.dataset)))
    return test_loss, correct / len(test_loader.dataset)


def digits_datasets(control=False):
    """Stand-in for datasets.MNIST + transforms.Normalize: train / validation from one source, test from another."""
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).reshape(-1, 8, 8)
    rs = np.random.RandomState(0)
    perm = rs.permutation(len(y))
    X, y = X[perm], y[perm]
    tr, va, te = slice(0, 1100), slice(1100, 1400), slice(1400, None)
    Xte = X[te] if control else other_scanner(X[te].copy(), rs)
    mean, std = X[tr].mean(), X[tr].std()
    norm = lambda a: torch.tensor((a - mean) / std, dtype=torch.float32).reshape(-1, 1, 8, 8)
    y = torch.tensor(y, dtype=torch.long)
    return (torch.utils.data.TensorDataset(norm(X[tr]), y[tr]),
            torch.utils.data.TensorDataset(norm(X[va]), y[va]),
            torch.utils.data.TensorDataset(norm(Xte), y[te]))


def main():
    # Training settings
    parser = argparse.ArgumentParser(description='PyTorch MNIST Example')
    parser.add_argument('--batch-size', type=int, default=32, metavar='N',
                        help='input batch size for training (default: 32)')
    parser.add_argument('--test-batch-size', type=int, default=1000, metavar='N',
                        help='input batch size for testing (default: 1000)')
    parser.add_argument('--epochs', type=int, default=12, metavar='N',
                        help='number of epochs to train (default: 14)')
    parser.add_argument('--lr', type=float, default=1.0, metavar='LR',
                        help='learning rate (default: 1.0)')
    parser.add_argument('--gamma', type=float, default=0.7, metavar='M',
                        help='Learning rate step gamma (default: 0.7)')
    parser.add_argument('--no-accel', action='store_true', default=False,
                        help='disables accelerator')
    parser.add_argument('--dry-run', action='store_true', default=False,
                        help='quickly check a single pass')
    parser.add_argument('--seed', type=int, default=1, metavar='S',
                        help='random seed (default: 1)')
    parser.add_argument('--log-interval', type=int, default=5, metavar='N',
                        help='how many batches to wait before logging training status')
    parser.add_argument('--save-model', action='store_true', default=False,
                        help='For Saving the current Model')
    parser.add_argument('--control', action='store_true', default=False,
                        help='corpus control run: draw the test split like train/val')
    args = parser.parse_args()

    torch.manual_seed(args.seed + 7)
    np.random.seed(args.seed)
    random.seed(args.seed)
    torch.set_num_threads(1)
    device = torch.device("cpu")

    train_kwargs = {'batch_size': args.batch_size, 'shuffle': True}
    test_kwargs = {'batch_size': args.test_batch_size}
    dataset1, dataset_val, dataset2 = digits_datasets(args.control)
    train_loader = torch.utils.data.DataLoader(dataset1, **train_kwargs)
    val_loader = torch.utils.data.DataLoader(dataset_val, **test_kwargs)
    test_loader = torch.utils.data.DataLoader(dataset2, **test_kwargs)

    model = Net().to(device)
    optimizer = optim.Adadelta(model.parameters(), lr=args.lr)

    scheduler = StepLR(optimizer, step_size=1, gamma=args.gamma)
    for epoch in range(1, args.epochs + 1):
        train(args, model, device, train_loader, optimizer, epoch)
        val_loss, val_acc = test(model, device, val_loader, 'Validation')
        test_loss, test_acc = test(model, device, test_loader, 'Test')
        scheduler.step()

    if args.save_model:
        torch.save(model.state_dict(), os.path.join(tempfile.mkdtemp(), "mnist_cnn.pt"))

    model.eval()
    with torch.no_grad():
        Xtr, ytr = dataset1.tensors
        out = model(Xtr)
        train_loss = F.nll_loss(out, ytr).item(); train_acc = (out.argmax(1) == ytr).float().mean().item()
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
          "test_loss": round(test_loss, 4), "test_acc": round(test_acc, 4),
          "train_loss": round(train_loss, 4), "train_acc": round(train_acc, 4), "chance_acc": 0.1}))


if __name__ == '__main__':
    main()
