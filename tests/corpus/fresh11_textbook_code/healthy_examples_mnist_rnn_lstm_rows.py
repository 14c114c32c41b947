# expect:
# allow:
# forbid: *
# evidence: LSTM over rows reaches test accuracy 94.7% (test loss 0.129, train loss 0.081 eval mode, chance 10%)
# native-log: mnist_rnn.log
# log-expect:
# log-allow:
"""pytorch/examples mnist_rnn/main.py style on the 8x8 digits: each image is read row by row by an
nn.LSTM(input_size=8, hidden_size=64, batch_first=True), the last output goes through BatchNorm1d,
fc1, ReLU, dropout, fc2, log_softmax; Adadelta(lr=1.0) with StepLR(gamma=0.9), batch size 32; train() prints
'Train Epoch: ... Loss: ...' and test() prints 'Test set: Average loss: ..., Accuracy: ...'.
The printed lines are also written verbatim to $CORPUS_LOG_DIR/mnist_rnn.log."""
import argparse, os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.optim.lr_scheduler import StepLR
from sklearn.datasets import load_digits

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
_logf = open(os.path.join(LOG_DIR, "mnist_rnn.log"), "w")
def log(line):
    print(line)
    _logf.write(line + "\n"); _logf.flush()


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.rnn = nn.LSTM(input_size=8, hidden_size=64, batch_first=True)
        self.batchnorm = nn.BatchNorm1d(64)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(64, 32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, input):
        # Shape of input is (batch_size,1, 8, 8)
        # converting shape of input to (batch_size, 8, 8)
        # as required by RNN when batch_first is set True
        input = input.reshape(-1, 8, 8)
        output, hidden = self.rnn(input)

        # RNN output shape is (seq_len, batch, input_size)
        # Get last output of RNN
        output = output[:, -1, :]
        output = self.batchnorm(output)
        output = self.dropout1(output)
        output = self.fc1(output)
        output = F.relu(output)
        output = self.dropout2(output)
        output = self.fc2(output)
        output = F.log_softmax(output, dim=1)
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
    parser = argparse.ArgumentParser(description='PyTorch MNIST RNN Example')
    parser.add_argument('--batch-size', type=int, default=32, metavar='N',
                        help='input batch size for training (default: 32)')
    parser.add_argument('--test-batch-size', type=int, default=1000, metavar='N',
                        help='input batch size for testing (default: 1000)')
    parser.add_argument('--epochs', type=int, default=14, metavar='N',
                        help='number of epochs to train (default: 14)')
    parser.add_argument('--lr', type=float, default=1.0, metavar='LR',
                        help='learning rate (default: 1.0)')
    parser.add_argument('--gamma', type=float, default=0.9, metavar='M',
                        help='Learning rate step gamma (default: 0.9)')
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
    args = parser.parse_args()

    torch.manual_seed(args.seed + 21)
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
    optimizer = optim.Adadelta(model.parameters(), lr=args.lr)

    scheduler = StepLR(optimizer, step_size=1, gamma=args.gamma)
    for epoch in range(1, args.epochs + 1):
        train(args, model, device, train_loader, optimizer, epoch)
        test_loss, test_acc = test(model, device, test_loader)
        scheduler.step()

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
