"""The pytorch/examples MNIST recipe (Adadelta lr=1.0, StepLR gamma=0.7, dropout) on 8x8 digits.

The console is printed exactly the way examples/mnist/main.py prints it ("Train Epoch: ...
[640/1347 (47%)]\tLoss: ..." every log_interval batches and "Test set: Average loss: ...,
Accuracy: 438/450 (97%)"), tee'd into mnist_console.log.  Healthy.
"""
# expect:
# allow:
# forbid: *
# evidence: test accuracy 0.982 (442/450; chance 0.10), test loss 0.36 -> 0.075 over 6 epochs with Adadelta(lr=1.0)+StepLR(gamma=0.7)
# native-log: mnist_console.log
# log-expect:
# log-allow:
import os, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.optim.lr_scheduler import StepLR
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(1); np.random.seed(1); random.seed(1)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="mnist_")
os.makedirs(LOG_DIR, exist_ok=True)
_log = open(os.path.join(LOG_DIR, "mnist_console.log"), "w")


def echo(s=""):
    print(s); _log.write(s + "\n"); _log.flush()


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, 1, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, 1, padding=1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(32 * 4 * 4, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        x = F.max_pool2d(x, 2)
        x = self.dropout1(x)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = self.dropout2(x)
        return F.log_softmax(self.fc2(x), dim=1)


X, y = load_digits(return_X_y=True)
X = ((X / 16.0 - 0.3) / 0.4).astype(np.float32).reshape(-1, 1, 8, 8)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=0)
Xtr, Xte, ytr, yte = map(torch.tensor, (Xtr, Xte, ytr, yte))
BS, LOG_INTERVAL, EPOCHS = 32, 10, 6


def train(model, optimizer, epoch):
    model.train()
    perm = torch.randperm(len(Xtr))
    for batch_idx in range((len(Xtr) + BS - 1) // BS):
        idx = perm[batch_idx * BS:(batch_idx + 1) * BS]
        data, target = Xtr[idx], ytr[idx]
        optimizer.zero_grad()
        loss = F.nll_loss(model(data), target)
        loss.backward()
        optimizer.step()
        if batch_idx % LOG_INTERVAL == 0:
            echo('Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}'.format(
                epoch, batch_idx * len(data), len(Xtr), 100. * batch_idx * BS / len(Xtr), loss.item()))


def test(model):
    model.eval()
    with torch.no_grad():
        out = model(Xte)
        test_loss = F.nll_loss(out, yte, reduction='sum').item() / len(Xte)
        correct = out.argmax(dim=1).eq(yte).sum().item()
    echo('\nTest set: Average loss: {:.4f}, Accuracy: {}/{} ({:.0f}%)\n'.format(
        test_loss, correct, len(Xte), 100. * correct / len(Xte)))
    return test_loss, correct / len(Xte)


model = Net()
optimizer = torch.optim.Adadelta(model.parameters(), lr=1.0)
scheduler = StepLR(optimizer, step_size=1, gamma=0.7)
for epoch in range(1, EPOCHS + 1):
    train(model, optimizer, epoch)
    tl, ta = test(model)
    scheduler.step()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(tl, 4), "val_acc": round(ta, 4), "chance_acc": 0.1}))
