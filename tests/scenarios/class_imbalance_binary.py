"""95/5 binary labels with a weak signal and an unweighted BCE loss: the model predicts the majority."""
# expect: class_imbalance
# allow: non_convergence, high_bias
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(23)
n = 3000
y = (torch.rand(n) < 0.05).float()
x = torch.randn(n, 10) + 0.3 * y.unsqueeze(1)
model = nn.Sequential(nn.Linear(10, 16), nn.ReLU(), nn.Linear(16, 1), nn.Sigmoid())
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
crit = nn.BCELoss()
for epoch in range(3):
    for i in range(0, n, 50):
        loss = crit(model(x[i:i + 50]).squeeze(1), y[i:i + 50])
        opt.zero_grad()
        loss.backward()
        opt.step()
