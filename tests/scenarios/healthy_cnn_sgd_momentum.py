"""Healthy: a small CNN on synthetic 12x12 images, SGD with momentum, StepLR, F.cross_entropy."""
# expect:
# forbid: *
import torch
import torch.nn.functional as F
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(1)
n = 1200
y = torch.randint(0, 3, (n,))
x = 0.5 * torch.randn(n, 1, 12, 12)
x[y == 0, :, 3:9, 5:7] += 1.0   # vertical bar
x[y == 1, :, 5:7, 3:9] += 1.0   # horizontal bar
x[y == 2, :, 4:8, 4:8] += 0.8   # square


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.fc = nn.Linear(16 * 3 * 3, 3)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc(x.flatten(1))


model = Net()
opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
xtr, ytr, xva, yva = x[:1000], y[:1000], x[1000:], y[1000:]
for epoch in range(6):
    perm = torch.randperm(1000)
    for i in range(0, 1000, 50):
        idx = perm[i:i + 50]
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    sched.step()
    with torch.no_grad():
        acc = (model(xva).argmax(1) == yva).float().mean()
        F.cross_entropy(model(xva), yva)
    print(f"epoch {epoch} val acc {acc:.3f}")
