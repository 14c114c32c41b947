"""A 6-layer ReLU MLP initialised with std 0.01 and zero biases: the signal collapses with depth."""
# expect: poor_initialization
# allow: vanishing_gradients, non_convergence, learning_rate_too_low, dead_units, high_bias
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(18)
x = torch.randn(2000, 20)
y = (x @ torch.randn(20, 3)).argmax(1)
layers = []
for i in range(6):
    layers += [nn.Linear(20 if i == 0 else 64, 64), nn.ReLU()]
model = nn.Sequential(*layers, nn.Linear(64, 3))
for m in model.modules():
    if isinstance(m, nn.Linear):
        nn.init.normal_(m.weight, std=0.01)
        nn.init.zeros_(m.bias)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
crit = nn.CrossEntropyLoss()
for step in range(200):
    idx = torch.randint(0, 2000, (64,))
    loss = crit(model(x[idx]), y[idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
