"""Overfitting: a wide MLP memorises 64 noisy examples; validation loss climbs."""
import torch
from torch import nn

torch.manual_seed(0)
x = torch.randn(1064, 30)
y = ((x[:, :3].sum(1) + 1.5 * torch.randn(1064)) > 0).long()
xtr, ytr, xva, yva = x[:64], y[:64], x[64:], y[64:]
model = nn.Sequential(nn.Linear(30, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 2))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
crit = nn.CrossEntropyLoss()
for epoch in range(60):
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
        print(f"epoch {epoch} val {val.item():.3f}")
