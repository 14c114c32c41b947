"""Healthy (held-out): a small MLP autoencoder (MSE reconstruction) of data on a low-dimensional
manifold, Adam, an endless batch sampler and a held-out evaluation every 50 steps, not per epoch."""
# expect:
# forbid: *
import torch
from torch import nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(303)
mix = torch.randn(4, 32)
z = torch.randn(3000, 4)
data = torch.tanh(z @ mix / 2) + 0.05 * torch.randn(3000, 32)
data = (data - data.mean(0)) / data.std(0)
train, held = data[:2500], data[2500:]


class AutoEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 8))
        self.dec = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 32))

    def forward(self, x):
        return self.dec(self.enc(x))


model = AutoEncoder()
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
for step in range(1, 601):
    idx = torch.randint(0, len(train), (64,))
    batch = train[idx]
    loss = F.mse_loss(model(batch), batch)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 50 == 0:
        model.eval()
        with torch.no_grad():
            held_loss = F.mse_loss(model(held), held)
        model.train()
        print(f"step {step} train {loss.item():.4f} held-out {held_loss.item():.4f}")
