"""A 10-layer ReLU MLP initialised at std 0.5 (He would be 0.18): the activations grow ~3x per layer;
the loss is huge but gradient clipping keeps training going."""
# expect: poor_initialization
# allow: exploding_gradients, learning_rate_too_high, non_finite, non_convergence, dead_units, high_bias, vanishing_gradients
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(20)
x = torch.randn(1000, 64)
y = x[:, :1] - x[:, 1:2]
layers = []
for i in range(10):
    layers += [nn.Linear(64, 64), nn.ReLU()]
model = nn.Sequential(*layers, nn.Linear(64, 1))
for m in model.modules():
    if isinstance(m, nn.Linear):
        nn.init.normal_(m.weight, std=0.5)
opt = torch.optim.SGD(model.parameters(), lr=1e-3)
for step in range(120):
    idx = torch.randint(0, 1000, (32,))
    loss = nn.functional.smooth_l1_loss(model(x[idx]), y[idx])
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 10.0)
    opt.step()
