"""Non-convergence: plain SGD with a learning rate far too small; the loss barely moves."""
import torch
from torch import nn

torch.manual_seed(0)
x = torch.randn(2048, 10)
y = (x @ torch.randn(10, 3)).argmax(1)
model = nn.Sequential(nn.Linear(10, 64), nn.Tanh(), nn.Linear(64, 3))
opt = torch.optim.SGD(model.parameters(), lr=1e-5)
for step in range(300):
    idx = torch.randint(0, 2048, (64,))
    loss = nn.functional.cross_entropy(model(x[idx]), y[idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
