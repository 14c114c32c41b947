# expect: poor_initialization
# allow: high_bias, non_convergence
# forbid: *
# evidence: planted (constant init): 1 distinct unit among 128 in layer 1 after training, val_acc 0.446, val_loss 1.040; control (default init): 128 distinct units, val_acc 0.789, val_loss 0.537 (chance 0.20; classes overlap by design)
# control: --control
"""An init_weights() hook that sets every Linear weight to the same constant (0.05) and every bias
to 0 'for reproducibility'.  All hidden units of a layer then compute the same function and get
the same gradient at every step, so the 128-wide MLP behaves like a 1-unit-wide one forever.
Task: 5-class 'moons & blobs' style data in 8-d.  SGD with Nesterov momentum.
--control skips the hook (PyTorch's default Kaiming-uniform init); nothing else changes."""
import json
import math
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

torch.set_num_threads(1)
torch.manual_seed(0)
CONTROL = "--control" in sys.argv


def make_data(n, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 5, (n,), generator=g)
    ang = y.float() * 2 * math.pi / 5 + 0.5 * torch.randn(n, generator=g)
    r = 1.5 + 0.5 * torch.randn(n, generator=g)
    x2 = torch.stack([r * torch.cos(ang), r * torch.sin(ang)], 1)
    x = torch.cat([x2, 0.5 * torch.randn(n, 6, generator=g)], 1)
    return x, y


x_tr, y_tr = make_data(3000, 1)
x_va, y_va = make_data(1000, 2)
loader = DataLoader(TensorDataset(x_tr, y_tr), batch_size=64, shuffle=True)

model = nn.Sequential(nn.Linear(8, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 5))


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.constant_(m.weight, 0.05)
        nn.init.zeros_(m.bias)


if not CONTROL:
    model.apply(init_weights)

optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
for epoch in range(15):
    model.train()
    tot = 0.0
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        optimizer.step()
        tot += loss.item() * len(xb)
    model.eval()
    with torch.no_grad():
        out = model(x_va)
        val_loss = F.cross_entropy(out, y_va).item()
        val_acc = (out.argmax(1) == y_va).float().mean().item()
    print(f"epoch {epoch:2d} train_loss {tot / len(x_tr):.4f} val_loss {val_loss:.4f} val_acc {val_acc:.4f}")

# how many distinct hidden units does the first layer really have?
w = model[0].weight.detach()
distinct = torch.unique(torch.round(w * 1e4), dim=0).shape[0]
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "train_loss": round(tot / len(x_tr), 4), "chance_acc": 0.2,
                                     "distinct_first_layer_units": distinct}))
