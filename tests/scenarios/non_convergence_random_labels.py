"""Labels unrelated to the inputs (a data-loading bug shuffled them): the loss stays at chance."""
# expect: non_convergence
# allow: high_bias, learning_rate_too_low
# forbid: *
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.set_num_threads(1)
torch.manual_seed(28)
x = torch.randn(4000, 16)
y = torch.randint(0, 4, (4000,))
loader = DataLoader(TensorDataset(x, y), batch_size=128, shuffle=True)
model = nn.Sequential(nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 4))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
crit = nn.CrossEntropyLoss()
for epoch in range(6):
    for xb, yb in loader:
        opt.zero_grad()
        crit(model(xb), yb).backward()
        opt.step()
