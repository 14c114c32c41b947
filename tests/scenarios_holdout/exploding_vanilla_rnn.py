"""Held-out: a vanilla nn.RNN (ReLU nonlinearity) over 60 steps, recurrent weights initialised
orthogonal with gain 1.6 'to remember longer', no gradient clipping: gradients blow up through time."""
# expect: exploding_gradients
# allow: non_finite, learning_rate_too_high, non_convergence, dead_units, poor_initialization, high_bias, vanishing_gradients
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(1212)
n, length = 1200, 60
x = torch.randn(n, length, 3)
y = (x[:, :5, 0].sum(1) > 0).long()  # the label depends on the first few steps
xtr, ytr = x[:1000], y[:1000]


class RNNModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(3, 32, nonlinearity="relu", batch_first=True)
        nn.init.orthogonal_(self.rnn.weight_hh_l0, gain=1.6)
        self.fc = nn.Linear(32, 2)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.fc(out[:, -1])


model = RNNModel()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
crit = nn.CrossEntropyLoss()
for epoch in range(3):
    perm = torch.randperm(len(xtr))
    for i in range(0, len(xtr), 50):
        idx = perm[i:i + 50]
        opt.zero_grad()
        loss = crit(model(xtr[idx]), ytr[idx])
        loss.backward()
        opt.step()
    print(f"epoch {epoch} loss {loss.item()}")
