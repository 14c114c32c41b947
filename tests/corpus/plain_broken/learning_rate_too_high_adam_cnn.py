# expect: learning_rate_too_high
# allow: non_convergence, high_bias, dead_units, exploding_gradients
# forbid: *
# evidence: planted Adam lr=0.5: epoch-1 mean train loss 180, then stuck at ln4=1.386 (val_loss 1.406, val_acc 0.25 = chance); control lr=1e-3: val_acc 0.964, val_loss 0.113
# control: --control
# Small conv net on synthetic 4-class "stroke" images (horizontal / vertical / diagonal / anti-diagonal).
import json
import sys

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.set_num_threads(1)
torch.manual_seed(0)

CONTROL = "--control" in sys.argv
lr = 1e-3 if CONTROL else 0.5


def strokes(n, size=12, seed=0):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 4, (n,), generator=g)
    x = torch.randn(n, 1, size, size, generator=g) * 0.5
    off = torch.randint(2, size - 2, (n,), generator=g)
    r = torch.arange(size)
    for i in range(n):
        o = off[i].item()
        if y[i] == 0:
            x[i, 0, o, :] += 1.0
        elif y[i] == 1:
            x[i, 0, :, o] += 1.0
        elif y[i] == 2:
            x[i, 0, r, (r + o) % size] += 1.0
        else:
            x[i, 0, r, (o - r) % size] += 1.0
    return x, y


xtr, ytr = strokes(2000, seed=1)
xva, yva = strokes(800, seed=2)
train_dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(32 * 3 * 3, 64), nn.ReLU(), nn.Linear(64, 4))

    def forward(self, x):
        return self.head(self.features(x))


net = Net()
opt = torch.optim.Adam(net.parameters(), lr=lr)
crit = nn.CrossEntropyLoss()


def evaluate():
    net.eval()
    with torch.no_grad():
        logits = net(xva)
        return crit(logits, yva).item(), (logits.argmax(1) == yva).float().mean().item()


for epoch in range(8):
    net.train()
    run = []
    for xb, yb in train_dl:
        opt.zero_grad()
        loss = crit(net(xb), yb)
        loss.backward()
        opt.step()
        run.append(loss.item())
    vl, va = evaluate()
    print(f"[{epoch + 1}/8] loss={sum(run) / len(run):.4f} val_loss={vl:.4f} val_acc={va:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                     "train_loss": round(sum(run) / len(run), 4), "chance_acc": 0.25}))
