# expect:
# allow:
# forbid: *
# evidence: best checkpoint (epoch 6 of 12, early-stopped) gives test acc 0.897 on 8%-noisy labels (noise ceiling 0.933, chance 0.167), test loss 0.447; train_acc 0.902 - no gap
"""Small ResNet-ish network (pre-activation residual blocks with BatchNorm) on a 6-class tabular
problem with 8% label noise.  SGD with Nesterov momentum + weight decay, ReduceLROnPlateau on
validation loss, and an early-stopping loop (patience 6) that restores the best checkpoint."""
import argparse
import copy
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--max-epochs", type=int, default=150)
parser.add_argument("--patience", type=int, default=6)
parser.add_argument("--lr", type=float, default=0.05)
args = parser.parse_args()

torch.set_num_threads(1)
torch.manual_seed(11)


def make_data(n, seed, noise=0.08):
    g = torch.Generator().manual_seed(123)          # same class structure for every split
    centers = torch.randn(6, 4, generator=g) * 3.0
    mix = torch.randn(4, 20, generator=g)
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 6, (n,), generator=g)
    z = centers[y] + torch.randn(n, 4, generator=g)
    x = torch.tanh(z @ mix / 2) + 0.1 * torch.randn(n, 20, generator=g)
    flip = torch.rand(n, generator=g) < noise
    y = torch.where(flip, torch.randint(0, 6, (n,), generator=g), y)
    return x, y


x_tr, y_tr = make_data(1500, 1)
x_va, y_va = make_data(600, 2)
x_te, y_te = make_data(1000, 3)
mean, std = x_tr.mean(0), x_tr.std(0)
x_tr, x_va, x_te = [(t - mean) / std for t in (x_tr, x_va, x_te)]
train_loader = DataLoader(TensorDataset(x_tr, y_tr), batch_size=32, shuffle=True)


class ResBlock(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.bn1 = nn.BatchNorm1d(width)
        self.fc1 = nn.Linear(width, width)
        self.bn2 = nn.BatchNorm1d(width)
        self.fc2 = nn.Linear(width, width)

    def forward(self, x):
        out = self.fc1(F.relu(self.bn1(x)))
        out = self.fc2(F.relu(self.bn2(out)))
        return x + out


class ResNetMLP(nn.Module):
    def __init__(self, d_in=20, width=96, n_blocks=3, n_classes=6):
        super().__init__()
        self.stem = nn.Linear(d_in, width)
        self.blocks = nn.Sequential(*[ResBlock(width) for _ in range(n_blocks)])
        self.head_bn = nn.BatchNorm1d(width)
        self.head = nn.Linear(width, n_classes)

    def forward(self, x):
        return self.head(F.relu(self.head_bn(self.blocks(self.stem(x)))))


def evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        out = model(x)
        return F.cross_entropy(out, y).item(), (out.argmax(1) == y).float().mean().item()


model = ResNetMLP()
optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, nesterov=True, weight_decay=5e-4)
scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode="min", factor=0.3, patience=2)

best_loss, best_state, bad_epochs = float("inf"), None, 0
for epoch in range(1, args.max_epochs + 1):
    model.train()
    total = 0.0
    for xb, yb in train_loader:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(xb)
    val_loss, val_acc = evaluate(model, x_va, y_va)
    scheduler.step(val_loss)
    print(f"epoch {epoch:3d} train_loss {total / len(x_tr):.4f} val_loss {val_loss:.4f} "
          f"val_acc {val_acc:.4f} lr {optimizer.param_groups[0]['lr']:.5f}")
    if val_loss < best_loss - 1e-4:
        best_loss, best_state, bad_epochs = val_loss, copy.deepcopy(model.state_dict()), 0
    else:
        bad_epochs += 1
        if bad_epochs >= args.patience:
            print(f"early stopping at epoch {epoch}, best val_loss {best_loss:.4f}")
            break

model.load_state_dict(best_state)
test_loss, test_acc = evaluate(model, x_te, y_te)
train_loss, train_acc = evaluate(model, x_tr, y_tr)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(test_loss, 4), "val_acc": round(test_acc, 4),
                                     "train_loss": round(train_loss, 4), "train_acc": round(train_acc, 4),
                                     "chance_acc": 0.1667, "label_noise_ceiling": round(0.92 + 0.08 / 6, 4)}))
