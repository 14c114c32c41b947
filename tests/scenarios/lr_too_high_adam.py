"""Adam with lr=0.3: every step throws the weights around; the loss bounces and does not settle."""
# expect: learning_rate_too_high
# allow: non_convergence, saturated_activations, exploding_gradients, high_bias
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(12)
x = torch.randn(2000, 20)
y = (x @ torch.randn(20, 4)).argmax(1)
model = nn.Sequential(nn.Linear(20, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 4))
opt = torch.optim.Adam(model.parameters(), lr=0.3)
crit = nn.CrossEntropyLoss()
for epoch in range(5):
    perm = torch.randperm(2000)
    for i in range(0, 2000, 50):
        idx = perm[i:i + 50]
        loss = crit(model(x[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
