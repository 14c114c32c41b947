"""Plain SGD with lr=1e-5 and a DataLoader: the weights barely move, the loss crawls."""
# expect: learning_rate_too_low, non_convergence
# allow: high_bias
# forbid: *
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.set_num_threads(1)
torch.manual_seed(13)
x = torch.randn(2000, 10)
y = (x @ torch.randn(10, 3)).argmax(1)
loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True)
model = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 3))
opt = torch.optim.SGD(model.parameters(), lr=1e-5)
crit = nn.CrossEntropyLoss()
for epoch in range(8):
    for xb, yb in loader:
        opt.zero_grad()
        crit(model(xb), yb).backward()
        opt.step()
