"""Raw tabular features on wildly different scales (age ~40, income ~5e4, a ratio ~0.5)."""
# expect: unnormalized_inputs
# allow: non_convergence, learning_rate_too_high, exploding_gradients, dead_units, class_imbalance, high_bias, saturated_activations, poor_initialization
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(21)
n = 2000
age = 40 + 12 * torch.randn(n)
income = 5e4 + 2e4 * torch.randn(n)
ratio = torch.rand(n)
x = torch.stack([age, income, ratio, 100 * torch.rand(n)], 1)
y = ((age - 40) / 12 + (income - 5e4) / 2e4 + 2 * (ratio - 0.5) > 0).long()
model = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Linear(32, 2))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
crit = nn.CrossEntropyLoss()
for step in range(150):
    idx = torch.randint(0, n, (64,))
    loss = crit(model(x[idx]), y[idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
