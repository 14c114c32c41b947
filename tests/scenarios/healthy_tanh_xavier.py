"""Healthy: a tanh MLP with Xavier initialisation and SGD with Nesterov momentum."""
# expect:
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(5)
x = torch.randn(2000, 10)
y = ((x[:, 0] * x[:, 1] > 0) ^ (x[:, 2] > 0.5)).long()
model = nn.Sequential(nn.Linear(10, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 2))
for m in model.modules():
    if isinstance(m, nn.Linear):
        nn.init.xavier_uniform_(m.weight)
        nn.init.zeros_(m.bias)
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
loss_fn = nn.CrossEntropyLoss()
for epoch in range(10):
    perm = torch.randperm(1600)
    for i in range(0, 1600, 64):
        idx = perm[i:i + 64]
        loss = loss_fn(model(x[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        val = loss_fn(model(x[1600:]), y[1600:])
    print(f"epoch {epoch} val {val.item():.3f}")
