"""Healthy (held-out): a torch.utils.data.Dataset subclass of noisy waveforms, a 1-D conv net,
SGD with Nesterov momentum and weight decay under a OneCycleLR schedule stepped per batch."""
# expect:
# forbid: *
import math

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

torch.set_num_threads(1)
torch.manual_seed(202)


class Waveforms(Dataset):
    """Class 0: sine, 1: square, 2: sawtooth, 3: noise only; random frequency and phase."""

    def __init__(self, n, length=64, seed=0):
        g = torch.Generator().manual_seed(seed)
        self.y = torch.randint(0, 4, (n,), generator=g)
        t = torch.linspace(0, 1, length)
        freq = 2 + 4 * torch.rand(n, 1, generator=g)
        phase = 2 * math.pi * torch.rand(n, 1, generator=g)
        arg = 2 * math.pi * freq * t + phase
        sig = torch.stack([torch.sin(arg), torch.sign(torch.sin(arg)),
                           2 * ((arg / (2 * math.pi)) % 1) - 1, torch.zeros_like(arg)], 1)
        self.x = sig[torch.arange(n), self.y] + 0.3 * torch.randn(n, length, generator=g)

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return self.x[i].unsqueeze(0), self.y[i]


train_ds, val_ds = Waveforms(1600, seed=1), Waveforms(400, seed=2)
train = DataLoader(train_ds, batch_size=32, shuffle=True)
val = DataLoader(val_ds, batch_size=200)
model = nn.Sequential(
    nn.Conv1d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
    nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten(),
    nn.Linear(32, 4))
epochs = 5
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, epochs=epochs, steps_per_epoch=len(train))
crit = nn.CrossEntropyLoss()
for epoch in range(epochs):
    model.train()
    for xb, yb in train:
        opt.zero_grad()
        loss = crit(model(xb), yb)
        loss.backward()
        opt.step()
        sched.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for xb, yb in val:
            out = model(xb)
            vloss = crit(out, yb)
            correct += (out.argmax(1) == yb).sum().item()
    print(f"epoch {epoch} loss {loss.item():.3f} val {vloss.item():.3f} acc {correct / len(val_ds):.3f}")
