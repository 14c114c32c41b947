"""A script that uses traindx.log() for its own validation metrics (manual batching)."""
import torch
from torch import nn

import traindx

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.05)
x, y = torch.randn(256, 5), torch.randn(256, 1)
for step in range(40):
    loss = ((model(x[:128]) - y[:128]) ** 2).mean()  # a hand-written loss: not captured
    opt.zero_grad()
    loss.backward()
    opt.step()
    traindx.log(train_loss=loss.detach(), val_loss=float(((model(x[128:]) - y[128:]) ** 2).mean()))
