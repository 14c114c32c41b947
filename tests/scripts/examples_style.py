"""The layout of the PyTorch examples (mnist/main.py): train() prints "Train Epoch: ..." lines, test()
prints "Test set: Average loss: ..., Accuracy: n/N (p%)" after every epoch, and there is no validation
split. A 4-class task on 32 noisy features; `--n-train 120` is a training set small enough to overfit."""
import argparse, torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(32, 256)
        self.fc2 = nn.Linear(256, 256)
        self.fc3 = nn.Linear(256, 4)

    def forward(self, x):
        return F.log_softmax(self.fc3(F.relu(self.fc2(F.relu(self.fc1(x))))), dim=1)


def train(args, model, train_loader, optimizer, epoch):
    model.train()
    for batch_idx, (data, target) in enumerate(train_loader):
        optimizer.zero_grad()
        loss = F.nll_loss(model(data), target)
        loss.backward()
        optimizer.step()
        if batch_idx % 5 == 0:
            print(f"Train Epoch: {epoch} [{batch_idx * len(data)}/{len(train_loader.dataset)} "
                  f"({100. * batch_idx / len(train_loader):.0f}%)]\tLoss: {loss.item():.6f}")


def test(model, test_loader):
    model.eval()
    test_loss, correct = 0, 0
    with torch.no_grad():
        for data, target in test_loader:
            output = model(data)
            test_loss += F.nll_loss(output, target, reduction="sum").item()
            correct += output.argmax(dim=1).eq(target).sum().item()
    test_loss /= len(test_loader.dataset)
    print(f"\nTest set: Average loss: {test_loss:.4f}, Accuracy: {correct}/{len(test_loader.dataset)} "
          f"({100. * correct / len(test_loader.dataset):.0f}%)\n")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--n-train", type=int, default=120)
    p.add_argument("--epochs", type=int, default=40)
    args = p.parse_args()
    torch.manual_seed(1)
    torch.set_num_threads(1)
    w = torch.randn(32, 4)
    def data(n):
        x = torch.randn(n, 32)
        y = (x @ w + 1.5 * torch.randn(n, 4)).argmax(1)
        return torch.utils.data.TensorDataset(x, y)
    train_loader = torch.utils.data.DataLoader(data(args.n_train), batch_size=16, shuffle=True)
    test_loader = torch.utils.data.DataLoader(data(1000), batch_size=500)
    model = Net()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(1, args.epochs + 1):
        train(args, model, train_loader, optimizer, epoch)
        test(model, test_loader)


if __name__ == "__main__":
    main()
