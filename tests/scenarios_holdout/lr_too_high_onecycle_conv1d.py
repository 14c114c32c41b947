"""Held-out: a 1-D conv net on sequences with OneCycleLR whose max_lr=1.0 was copied from a
'super-convergence' recipe meant for a BN ResNet; plain SGD+momentum, no normalisation layers.
With max_lr=0.1 the same script reaches 100% val accuracy; with 1.0 it stays at chance."""
# expect: learning_rate_too_high
# allow: exploding_gradients, non_finite, non_convergence, dead_units, high_bias, vanishing_gradients
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(707)
n, length = 1600, 48
y = torch.randint(0, 3, (n,))
t = torch.arange(length).float()
x = torch.randn(n, 1, length) * 0.5
x[:, 0] += torch.sin(t * (0.2 + 0.25 * y[:, None]))  # class = frequency band
xtr, ytr, xva, yva = x[:1300], y[:1300], x[1300:], y[1300:]
model = nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(),
                      nn.Conv1d(16, 32, 7, padding=3), nn.ReLU(),
                      nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(32, 3))
epochs, bs = 5, 32
steps = (len(xtr) + bs - 1) // bs
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, epochs=epochs, steps_per_epoch=steps)
crit = nn.CrossEntropyLoss()
for epoch in range(epochs):
    perm = torch.randperm(len(xtr))
    for i in range(0, len(xtr), bs):
        idx = perm[i:i + bs]
        opt.zero_grad()
        loss = crit(model(xtr[idx]), ytr[idx])
        loss.backward()
        opt.step()
        sched.step()
    with torch.no_grad():
        out = model(xva)
        print(f"epoch {epoch} loss {loss.item():.3f} val {crit(out, yva).item():.3f} "
              f"acc {(out.argmax(1) == yva).float().mean():.3f}")
