"""tanh units with weights initialised at std 2: pre-activations are huge and the units saturate."""
# expect: saturated_activations
# allow: poor_initialization, vanishing_gradients, non_convergence, exploding_gradients, high_bias, learning_rate_too_high
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(17)
x = torch.randn(2000, 32)
y = (x[:, :4].sum(1) > 0).long()
model = nn.Sequential(nn.Linear(32, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 2))
for m in model.modules():
    if isinstance(m, nn.Linear):
        nn.init.normal_(m.weight, std=2.0)
opt = torch.optim.SGD(model.parameters(), lr=0.01)
crit = nn.CrossEntropyLoss()
for step in range(150):
    idx = torch.randint(0, 2000, (64,))
    loss = crit(model(x[idx]), y[idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
