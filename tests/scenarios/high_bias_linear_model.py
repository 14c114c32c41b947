"""A linear model on an XOR-like task, with a known Bayes error of ~0: large avoidable bias."""
# traindx-args: --bayes-error 0.0
# expect: high_bias
# allow: non_convergence
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(26)
x = torch.randn(3000, 2)
y = ((x[:, 0] > 0) ^ (x[:, 1] > 0)).long()
model = nn.Linear(2, 2)
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
crit = nn.CrossEntropyLoss()
for epoch in range(5):
    for i in range(0, 2500, 50):
        loss = crit(model(x[i:i + 50]), y[i:i + 50])
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        crit(model(x[2500:]), y[2500:])
