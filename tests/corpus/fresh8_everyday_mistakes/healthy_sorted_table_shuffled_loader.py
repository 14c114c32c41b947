# expect:
# allow:
# forbid: *
# evidence: healthy: label-sorted table but shuffle=True; val_acc 0.949 (majority 0.209), val_loss 0.121, train_loss 0.089
# The exported table is sorted by label, which is fine because the DataLoader shuffles every epoch.
import json
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader

torch.manual_seed(29)
torch.set_num_threads(1)


class SortedTable(Dataset):
    def __init__(self, n, seed):
        g = torch.Generator().manual_seed(seed)
        means = torch.randn(5, 10, generator=torch.Generator().manual_seed(290)) * 1.2
        y = torch.randint(0, 5, (n,), generator=g)
        x = means[y] + torch.randn(n, 10, generator=g)
        order = torch.argsort(y, stable=True)
        self.x, self.y = x[order], y[order]

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return self.x[i], self.y[i]


train_ds, val_ds = SortedTable(4000, 1), SortedTable(1000, 2)
train_loader = DataLoader(train_ds, batch_size=64, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=500)

model = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 5))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
criterion = nn.CrossEntropyLoss()

for epoch in range(8):
    model.train()
    total = 0.0
    for xb, yb in train_loader:
        loss = criterion(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item()
    model.eval()
    vloss, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in val_loader:
            out = model(xb)
            vloss += criterion(out, yb).item() * len(yb)
            correct += (out.argmax(1) == yb).sum().item()
    vloss /= len(val_ds)
    vacc = correct / len(val_ds)
    print(f"epoch {epoch}: train_loss={total / len(train_loader):.4f} val_loss={vloss:.4f} val_acc={vacc:.3f}")

with torch.no_grad():
    tl = criterion(model(train_ds.x), train_ds.y).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4), "train_loss": round(tl, 4),
                                      "chance_acc": round(val_ds.y.bincount().max().item() / len(val_ds), 3)}))
