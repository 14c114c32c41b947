"""Healthy: binary classification with BCEWithLogitsLoss and RMSprop, balanced classes."""
# expect:
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(3)
x = torch.randn(2000, 12)
y = ((x[:, 0] + x[:, 1] - x[:, 2] + 0.3 * torch.randn(2000)) > 0).float().unsqueeze(1)
model = nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(32, 1))
opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
crit = nn.BCEWithLogitsLoss()
for epoch in range(8):
    for i in range(0, 1600, 40):
        xb, yb = x[i:i + 40], y[i:i + 40]
        loss = crit(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        val = crit(model(x[1600:]), y[1600:])
    print(f"epoch {epoch} val {val.item():.3f}")
