"""A healthy run: a small ReLU MLP on a learnable synthetic task, Adam, DataLoader, eval helper."""
import argparse

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=8)
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()
torch.manual_seed(args.seed)

x = torch.randn(2400, 20)
w = torch.randn(20, 4)
y = (x @ w + 0.3 * torch.randn(2400, 4)).argmax(1)
train = DataLoader(TensorDataset(x[:2000], y[:2000]), batch_size=64, shuffle=True)
val = DataLoader(TensorDataset(x[2000:], y[2000:]), batch_size=200)

model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 4))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()


def evaluate():
    model.eval()
    total, n = 0.0, 0
    with torch.no_grad():
        for xb, yb in val:
            total += loss_fn(model(xb), yb).item() * len(xb)
            n += len(xb)
    model.train()
    return total / n


for epoch in range(args.epochs):
    for xb, yb in train:
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: val_loss {evaluate():.4f}")
