"""Dead ReLU units in a model that calls F.relu inside forward (no activation modules): a bias
initialised far negative keeps most hidden units below zero for every input from the start."""
# expect: dead_units
# allow: poor_initialization, non_convergence, vanishing_gradients, learning_rate_too_low, high_bias
# forbid: *
import torch
import torch.nn.functional as F
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(3)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(10, 64)
        self.fc2 = nn.Linear(64, 64)
        self.out = nn.Linear(64, 3)
        with torch.no_grad():
            self.fc2.bias[:56].fill_(-20.0)  # 56 of 64 units can never fire

    def forward(self, x):
        return self.out(F.relu(self.fc2(F.relu(self.fc1(x)))))


x = torch.randn(1024, 10)
y = (x @ torch.randn(10, 3)).argmax(1)
model = Net()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for step in range(150):
    idx = torch.randint(0, 1024, (64,))
    loss = F.cross_entropy(model(x[idx]), y[idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
