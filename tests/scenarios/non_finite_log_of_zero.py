"""A hand-written loss takes log of a probability that reaches 0: NaN appears in the gradients."""
# expect: non_finite
# allow: exploding_gradients, learning_rate_too_high, non_convergence, dead_units, saturated_activations
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(29)
x = torch.randn(1000, 8) * 4
y = (x[:, 0] > 0).float()
model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1), nn.Sigmoid())
opt = torch.optim.SGD(model.parameters(), lr=0.5)
for step in range(150):
    idx = torch.randint(0, 1000, (32,))
    p = model(x[idx]).squeeze(1)
    loss = -(y[idx] * torch.log(p) + (1 - y[idx]) * torch.log(1 - p)).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
