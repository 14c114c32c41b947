"""Vanishing gradients: a deep sigmoid MLP with plain SGD."""
import torch
from torch import nn

torch.manual_seed(0)
x = torch.randn(1024, 16)
y = (x[:, 0] * x[:, 1] > 0).long()
layers = []
width = 32
for i in range(10):
    layers += [nn.Linear(16 if i == 0 else width, width), nn.Sigmoid()]
model = nn.Sequential(*layers, nn.Linear(width, 2))
opt = torch.optim.SGD(model.parameters(), lr=0.05)
for step in range(300):
    idx = torch.randint(0, 1024, (64,))
    loss = nn.functional.cross_entropy(model(x[idx]), y[idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
print("final loss", loss.item())
