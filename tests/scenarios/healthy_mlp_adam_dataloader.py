"""Healthy: a small ReLU MLP, Adam, DataLoader, nn.CrossEntropyLoss, a validation pass per epoch."""
# expect:
# forbid: *
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.set_num_threads(1)
torch.manual_seed(0)
x = torch.randn(2400, 20)
y = (x @ torch.randn(20, 4) + 0.3 * torch.randn(2400, 4)).argmax(1)
train = DataLoader(TensorDataset(x[:2000], y[:2000]), batch_size=64, shuffle=True)
val = DataLoader(TensorDataset(x[2000:], y[2000:]), batch_size=200)
model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 4))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
for epoch in range(6):
    model.train()
    for xb, yb in train:
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        val_loss = sum(loss_fn(model(xb), yb).item() * len(xb) for xb, yb in val) / 400
    print(f"epoch {epoch} val_loss {val_loss:.3f}")
