"""A CNN fed raw 0..255 pixel values (the /255 and Normalize were forgotten)."""
# expect: unnormalized_inputs
# allow: non_convergence, learning_rate_too_high, exploding_gradients, dead_units, high_bias, poor_initialization
# forbid: *
import torch
import torch.nn.functional as F
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(22)
n = 800
y = torch.randint(0, 2, (n,))
img = torch.randint(0, 120, (n, 3, 10, 10)).float()
img[y == 1, 0] += 100
x = img  # forgot: img / 255, Normalize(mean, std)
model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 2))
opt = torch.optim.SGD(model.parameters(), lr=1e-4, momentum=0.9)
for epoch in range(4):
    for i in range(0, n, 32):
        loss = F.cross_entropy(model(x[i:i + 32]), y[i:i + 32])
        opt.zero_grad()
        loss.backward()
        opt.step()
