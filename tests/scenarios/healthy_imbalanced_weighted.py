"""Healthy (info only): 90/10 labels, but a weighted loss and a learnable signal: every class is
recalled, so the skew is reported as information, not as a problem."""
# expect:
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(7)
n = 3000
y = (torch.rand(n) < 0.1).long()
x = torch.randn(n, 8) + 2.0 * y.unsqueeze(1).float() * torch.tensor([1.0, -1.0, 0.5, 0, 0, 0, 0, 0])
model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 2))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
crit = nn.CrossEntropyLoss(weight=torch.tensor([1.0, 9.0]))
for epoch in range(6):
    perm = torch.randperm(2500)
    for i in range(0, 2500, 50):
        idx = perm[i:i + 50]
        loss = crit(model(x[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        val = crit(model(x[2500:]), y[2500:])
    model.train()
    print(f"epoch {epoch} val {val.item():.3f}")
