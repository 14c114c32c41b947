"""A good model on train and validation data, but the deployment-like test set (measured at 30%
error by the user and passed with --test-error) comes from a shifted distribution."""
# traindx-args: --human-error 0.02 --test-error 0.30
# expect: data_mismatch
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(27)
x = torch.randn(2400, 10)
y = (x[:, :3].sum(1) > 0).long()
model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
crit = nn.CrossEntropyLoss()
for epoch in range(4):
    perm = torch.randperm(2000)
    for i in range(0, 2000, 50):
        idx = perm[i:i + 50]
        loss = crit(model(x[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        crit(model(x[2000:]), y[2000:])
    model.train()
