"""A wide MLP memorises 64 noisy examples; the validation loss climbs (validation under no_grad)."""
# expect: overfitting, high_variance
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(25)
x = torch.randn(664, 30)
y = ((x[:, :3].sum(1) + 1.5 * torch.randn(664)) > 0).long()
xtr, ytr, xva, yva = x[:64], y[:64], x[64:], y[64:]
model = nn.Sequential(nn.Linear(30, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 2))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
crit = nn.CrossEntropyLoss()
for epoch in range(50):
    for i in range(0, 64, 16):
        loss = crit(model(xtr[i:i + 16]), ytr[i:i + 16])
        opt.zero_grad()
        loss.backward()
        opt.step()
    if epoch % 3 == 0:
        model.eval()
        with torch.no_grad():
            val = crit(model(xva), yva)
        model.train()
