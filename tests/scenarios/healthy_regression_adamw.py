"""Healthy: MLP regression with AdamW and nn.MSELoss, manual batching, a held-out check."""
# expect:
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(2)
x = torch.randn(2000, 8)
y = (torch.sin(x[:, :1]) + 0.5 * x[:, 1:2] * x[:, 2:3] + 0.1 * torch.randn(2000, 1))
model = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-2)
mse = nn.MSELoss()
for epoch in range(8):
    perm = torch.randperm(1600)
    for i in range(0, 1600, 32):
        idx = perm[i:i + 32]
        opt.zero_grad()
        loss = mse(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        val = mse(model(x[1600:]), y[1600:])
    model.train()
    print(f"epoch {epoch} val mse {val.item():.4f}")
