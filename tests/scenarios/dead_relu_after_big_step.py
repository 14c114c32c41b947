"""A healthy start, then a warm-up bug sets the learning rate to 2.0 for three steps: the big
updates push the ReLU units negative for every input, and most never come back."""
# expect: dead_units
# allow: learning_rate_too_high, non_convergence, exploding_gradients, vanishing_gradients, high_bias
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(16)
x = torch.rand(2000, 16)  # pixel-like inputs in [0, 1]
y = ((x - 0.5) @ torch.randn(16, 4)).argmax(1)
model = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 4))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
crit = nn.CrossEntropyLoss()
for step in range(300):
    for g in opt.param_groups:
        g["lr"] = 2.0 if 100 <= step < 103 else 0.05
    idx = torch.randint(0, 2000, (64,))
    loss = crit(model(x[idx]), y[idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
