"""Healthy: an 8-layer ReLU MLP with BatchNorm and He initialisation, Adam, DataLoader."""
# expect:
# forbid: *
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.set_num_threads(1)
torch.manual_seed(6)
x = torch.randn(2000, 20)
y = (x[:, :10].pow(2).sum(1) > 10).long()
layers, width = [], 48
for i in range(8):
    layers += [nn.Linear(20 if i == 0 else width, width), nn.BatchNorm1d(width), nn.ReLU()]
model = nn.Sequential(*layers, nn.Linear(width, 2))
for m in model.modules():
    if isinstance(m, nn.Linear):
        nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
        nn.init.zeros_(m.bias)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loader = DataLoader(TensorDataset(x[:1600], y[:1600]), batch_size=64, shuffle=True)
crit = nn.CrossEntropyLoss()
for epoch in range(5):
    model.train()
    for xb, yb in loader:
        opt.zero_grad()
        crit(model(xb), yb).backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        print(epoch, crit(model(x[1600:]), y[1600:]).item())
