"""Held-out: a Dataset subclass that returns raw sensor readings (pressure in Pa ~1e5, temperature
in K ~300, humidity in % ~50) straight to a 1-D conv net; nobody standardised the channels."""
# expect: unnormalized_inputs
# allow: non_convergence, learning_rate_too_high, exploding_gradients, dead_units, high_bias, poor_initialization, saturated_activations, non_finite, class_imbalance
# forbid: *
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

torch.set_num_threads(1)
torch.manual_seed(808)


class SensorWindows(Dataset):
    def __init__(self, n, length=32):
        self.y = torch.randint(0, 2, (n,))  # 1 = storm coming: pressure falls over the window
        slope = torch.where(self.y == 1, -40.0, 5.0)[:, None] + 10 * torch.randn(n, 1)
        t = torch.arange(length).float()
        pressure = 101325 + 300 * torch.randn(n, 1) + slope * t + 20 * torch.randn(n, length)
        temp = 288 + 5 * torch.randn(n, 1) + 0.5 * torch.randn(n, length)
        humid = 60 + 15 * torch.rand(n, 1) + 2 * torch.randn(n, length)
        self.x = torch.stack([pressure, temp, humid], 1)

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return self.x[i], self.y[i]


train = DataLoader(SensorWindows(1200), batch_size=32, shuffle=True)
val = DataLoader(SensorWindows(300), batch_size=300)
model = nn.Sequential(nn.Conv1d(3, 16, 5), nn.ReLU(), nn.Conv1d(16, 16, 5), nn.ReLU(),
                      nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(16, 2))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
crit = nn.CrossEntropyLoss()
for epoch in range(5):
    model.train()
    for xb, yb in train:
        opt.zero_grad()
        loss = crit(model(xb), yb)
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        for xb, yb in val:
            out = model(xb)
            print(f"epoch {epoch} loss {loss.item():.3f} val {crit(out, yb).item():.3f} "
                  f"acc {(out.argmax(1) == yb).float().mean():.3f}")
