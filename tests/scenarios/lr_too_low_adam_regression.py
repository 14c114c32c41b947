"""Adam with lr=1e-7 on a regression task (F.l1_loss): nothing happens."""
# expect: learning_rate_too_low, non_convergence
# forbid: *
import torch
import torch.nn.functional as F
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(14)
x = torch.randn(1500, 6)
y = x[:, :1] * 2 - x[:, 1:2] + 1.0
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-7)
for step in range(250):
    idx = torch.randint(0, 1500, (50,))
    loss = F.l1_loss(model(x[idx]), y[idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
