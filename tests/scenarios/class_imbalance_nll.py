"""Three classes at 90/8/2 with log_softmax + F.nll_loss: the rare classes are never predicted."""
# expect: class_imbalance
# allow: non_convergence, high_bias
# forbid: *
import torch
import torch.nn.functional as F
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(12, 32)
        self.fc2 = nn.Linear(32, 3)

    def forward(self, x):
        return F.log_softmax(self.fc2(F.relu(self.fc1(x))), dim=1)


torch.set_num_threads(1)
torch.manual_seed(24)
n = 3000
u = torch.rand(n)
y = torch.where(u < 0.9, 0, torch.where(u < 0.98, 1, 2))
x = torch.randn(n, 12) + 0.2 * F.one_hot(y, 12).float()
model = Net()
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
for epoch in range(3):
    for i in range(0, n, 64):
        loss = F.nll_loss(model(x[i:i + 64]), y[i:i + 64])
        opt.zero_grad()
        loss.backward()
        opt.step()
