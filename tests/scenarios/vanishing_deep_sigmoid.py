"""A deep sigmoid MLP with plain SGD: gradients vanish toward the input layers."""
# expect: vanishing_gradients
# allow: non_convergence, saturated_activations, poor_initialization, learning_rate_too_low, high_bias
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(10)
x = torch.randn(1024, 16)
y = (x[:, 0] * x[:, 1] > 0).long()
layers = []
for i in range(10):
    layers += [nn.Linear(16 if i == 0 else 32, 32), nn.Sigmoid()]
model = nn.Sequential(*layers, nn.Linear(32, 2))
opt = torch.optim.SGD(model.parameters(), lr=0.05)
for step in range(200):
    idx = torch.randint(0, 1024, (64,))
    loss = nn.functional.cross_entropy(model(x[idx]), y[idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
