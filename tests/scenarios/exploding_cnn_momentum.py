"""A CNN regressor (nn.MSELoss, targets of scale ~10) with SGD, lr=0.01 and momentum 0.99: the
updates overshoot more every step; the gradient norm grows by orders of magnitude, then overflows."""
# expect: exploding_gradients
# allow: non_finite, learning_rate_too_high, non_convergence, dead_units
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(31)
x = torch.randn(800, 1, 8, 8)
y = 3.0 * x[:, :, 2:6, 2:6].sum(dim=(1, 2, 3)).unsqueeze(1)
model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(),
                      nn.Flatten(), nn.Linear(8 * 8 * 8, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.99)
crit = nn.MSELoss()
for epoch in range(6):
    for i in range(0, 800, 40):
        loss = crit(model(x[i:i + 40]), y[i:i + 40])
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
