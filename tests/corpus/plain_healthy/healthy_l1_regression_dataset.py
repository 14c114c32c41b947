# expect:
# forbid: *
# evidence: val_mae 4.63 (noise floor ~4.0 = 0.8*sigma 5), val_mse 35 vs target_var 19471 (R^2 > 0.998)
# L1 (MAE) regression of a house-price-like target on standardised tabular features.
# Custom Dataset that standardises with train statistics; DataLoader; evaluation on a held-out split.
import json
import torch
from torch import nn
from torch.utils.data import Dataset, DataLoader

torch.manual_seed(0)
torch.set_num_threads(1)


def synth(n, g):
    area = 50 + 150 * torch.rand(n, generator=g)
    rooms = torch.randint(1, 7, (n,), generator=g).float()
    age = 80 * torch.rand(n, generator=g)
    dist = 30 * torch.rand(n, generator=g)
    X = torch.stack([area, rooms, age, dist], 1)
    price = 2.0 * area + 15 * rooms - 0.8 * age - 3.0 * dist + 0.02 * (area - 100) ** 2 + 5 * torch.randn(n, generator=g)
    return X, price


class Tabular(Dataset):
    def __init__(self, X, y, stats=None):
        if stats is None:
            stats = (X.mean(0), X.std(0), y.mean(), y.std())
        self.stats = stats
        xm, xs, ym, ysd = stats
        self.X = (X - xm) / xs
        self.y = ((y - ym) / ysd).unsqueeze(1)

    def __len__(self):
        return len(self.X)

    def __getitem__(self, i):
        return self.X[i], self.y[i]


g = torch.Generator().manual_seed(5)
X_all, y_all = synth(3000, g)
train_ds = Tabular(X_all[:2400], y_all[:2400])
val_ds = Tabular(X_all[2400:], y_all[2400:], stats=train_ds.stats)
train_dl = DataLoader(train_ds, batch_size=32, shuffle=True)
val_dl = DataLoader(val_ds, batch_size=600)
y_sd = train_ds.stats[3]

net = nn.Sequential(nn.Linear(4, 64), nn.GELU(), nn.Linear(64, 64), nn.GELU(), nn.Linear(64, 1))
optim = torch.optim.Adam(net.parameters(), lr=2e-3)
l1 = nn.L1Loss()

for epoch in range(25):
    net.train()
    tot = 0.0
    for xb, yb in train_dl:
        optim.zero_grad()
        loss = l1(net(xb), yb)
        loss.backward()
        optim.step()
        tot += loss.item() * len(xb)
    net.eval()
    with torch.no_grad():
        xb, yb = next(iter(val_dl))
        pred = net(xb)
        val_mae = l1(pred, yb).item() * y_sd.item()
        val_mse = ((pred - yb) ** 2).mean().item() * y_sd.item() ** 2
    print(f"epoch {epoch + 1:2d} train_l1 {tot / len(train_ds):.4f} val_mae {val_mae:.3f} val_mse {val_mse:.2f}")

print("CORPUS_METRIC " + json.dumps({"val_mae": round(val_mae, 3), "val_mse": round(val_mse, 2),
                                      "target_var": round(y_all[2400:].var().item(), 2), "noise_var": 25.0,
                                      "train_loss": round(tot / len(train_ds), 4)}))
