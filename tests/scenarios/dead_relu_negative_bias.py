"""ReLU layers whose biases were initialised far negative: most units are dead from step 1."""
# expect: dead_units
# allow: non_convergence, vanishing_gradients, poor_initialization, learning_rate_too_low, high_bias
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(15)
x = torch.randn(2000, 16)
y = (x @ torch.randn(16, 4)).argmax(1)
model = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 4))
with torch.no_grad():
    model[0].bias.fill_(-3.0)
    model[2].bias.fill_(-3.0)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
crit = nn.CrossEntropyLoss()
for step in range(250):
    idx = torch.randint(0, 2000, (64,))
    loss = crit(model(x[idx]), y[idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
