"""Held-out: per-feature standardisation (x - mean) / std where one feature is constant in the
training split (a sensor that was switched off) -> 0/0 = NaN inputs, NaN loss from the first step."""
# expect: non_finite
# allow: exploding_gradients, learning_rate_too_high, non_convergence, dead_units, saturated_activations, unnormalized_inputs, vanishing_gradients, poor_initialization, high_bias
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(909)
x = torch.randn(2000, 12)
x[:, 7] = 0.0  # the dead sensor
y = (x[:, :4].sum(1) > 0).long()
mean, std = x.mean(0), x.std(0)
x = (x - mean) / std  # column 7 becomes 0/0
xtr, ytr, xva, yva = x[:1600], y[:1600], x[1600:], y[1600:]
model = nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 2))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
crit = nn.CrossEntropyLoss()
for epoch in range(4):
    perm = torch.randperm(1600)
    for i in range(0, 1600, 32):
        idx = perm[i:i + 32]
        opt.zero_grad()
        loss = crit(model(xtr[idx]), ytr[idx])
        loss.backward()
        opt.step()
    with torch.no_grad():
        print(f"epoch {epoch} loss {loss.item()} val {crit(model(xva), yva).item()}")
