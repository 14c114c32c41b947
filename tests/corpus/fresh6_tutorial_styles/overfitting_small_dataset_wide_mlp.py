# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: 300 examples, 512-wide MLP: train loss 0.0035 (acc 1.0), val loss rises from 0.754 (epoch 4) to 1.89, val acc 0.676; control 6000 examples: val loss 0.64 (best 0.62 at epoch 96), val acc 0.81, train acc 0.83
# control: --control
# "Train for a long time and watch the numbers go down": a wide 2-hidden-layer MLP, Adam, 100 epochs
# on only 300 labelled examples (labels from a teacher net, 10% of them flipped = real-world noise).
# The control trains the same model the same number of steps on 6000 examples.
import argparse
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=100)
parser.add_argument("--control", action="store_true", help="use 6000 training examples instead of 300")
args = parser.parse_args()

torch.set_num_threads(1)
torch.manual_seed(4)

D, C = 10, 4
tW1, tW2 = torch.randn(D, 8) * 0.5, torch.randn(8, C)


def make(n):
    x = torch.randn(n, D)
    y = torch.argmax(torch.tanh(x @ tW1) @ tW2, 1)
    flip = torch.rand(n) < 0.10
    y[flip] = torch.randint(0, C, (int(flip.sum()),))
    return x, y


n_train = 6000 if args.control else 300
x_train, y_train = make(n_train)
x_val, y_val = make(2000)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(D, 512)
        self.fc2 = nn.Linear(512, 512)
        self.fc3 = nn.Linear(512, C)

    def forward(self, x):
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


model = Net()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
bs = 50
steps_per_epoch = 6            # same number of updates in both runs
best_val = (1e9, 0)
for epoch in range(1, args.epochs + 1):
    model.train()
    for s in range(steps_per_epoch):
        idx = torch.randint(0, n_train, (bs,))
        loss = F.cross_entropy(model(x_train[idx]), y_train[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        tout = model(x_train[:1000])             # (at most) 1000 training examples for the train metrics
        tl = F.cross_entropy(tout, y_train[:1000]).item()
        ta = (tout.argmax(1) == y_train[:1000]).float().mean().item()
        out = model(x_val)
        vl = F.cross_entropy(out, y_val).item()
        va = (out.argmax(1) == y_val).float().mean().item()
    if vl < best_val[0]:
        best_val = (vl, epoch)
    if epoch % 10 == 0:
        print("Epoch %3d  train loss %.4f  train acc %.3f  val loss %.4f  val acc %.3f" % (epoch, tl, ta, vl, va))

print("best val loss %.4f at epoch %d" % best_val)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(ta, 4), "best_val_loss": round(best_val[0], 4),
                                     "chance_acc": round(torch.bincount(y_val).max().item() / 2000, 4)}))
