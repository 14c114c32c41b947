"""Every weight initialised to zero: all hidden units are identical and stay so."""
# expect: poor_initialization
# allow: non_convergence, vanishing_gradients, dead_units, learning_rate_too_low, high_bias
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(19)
x = torch.randn(2000, 10)
y = (x @ torch.randn(10, 3)).argmax(1)
model = nn.Sequential(nn.Linear(10, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 3))
for p in model.parameters():
    nn.init.zeros_(p)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
crit = nn.CrossEntropyLoss()
for step in range(200):
    idx = torch.randint(0, 2000, (64,))
    loss = crit(model(x[idx]), y[idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
