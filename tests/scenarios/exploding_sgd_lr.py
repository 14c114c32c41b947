"""SGD with a learning rate far too high on a regression MLP: the loss blows up to NaN."""
# expect: learning_rate_too_high, exploding_gradients, non_finite
# allow: non_convergence, dead_units, unnormalized_inputs
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(11)
x = torch.randn(1000, 10)
y = x @ torch.randn(10, 1) * 3
model = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.5)
crit = nn.MSELoss()
for step in range(100):
    idx = torch.randint(0, 1000, (32,))
    loss = crit(model(x[idx]), y[idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
print("final loss", loss.item())
