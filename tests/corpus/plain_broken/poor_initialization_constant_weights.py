# expect: poor_initialization
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (every parameter = 0.1): spread across hidden units 0.0 for the whole run (all units identical), val_acc 0.474, val_loss 0.995; control (default init): spread 0.71, val_acc 0.991, val_loss 0.032
# control: --control
# Concentric-rings classifier. The planted run initialises every weight to the same constant
# (nn.init.constant_(w, 0.1)), so all hidden units of a layer compute the same function and get
# the same gradient: the symmetry is never broken and the net behaves like a 1-unit-wide MLP.
import argparse
import json
import math

import torch
import torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
ap.add_argument("--epochs", type=int, default=15)
args = ap.parse_args()

torch.set_num_threads(1)
torch.manual_seed(0)


def rings(n, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 3, (n,), generator=g)
    radius = 0.5 + y.float() * 0.8 + 0.15 * torch.randn(n, generator=g)
    theta = torch.rand(n, generator=g) * 2 * math.pi
    x = torch.stack([radius * torch.cos(theta), radius * torch.sin(theta)], 1)
    return x / 1.2, y


x_train, y_train = rings(3000, 1)
x_val, y_val = rings(1000, 2)


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(2, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh())
        self.head = nn.Linear(64, 3)

    def forward(self, x):
        return self.head(self.body(x))


model = MLP()
if not args.control:
    for p in model.parameters():
        nn.init.constant_(p, 0.1)

optim = torch.optim.Adam(model.parameters(), lr=3e-3)
criterion = nn.CrossEntropyLoss()

for ep in range(args.epochs):
    perm = torch.randperm(len(x_train))
    total = 0.0
    model.train()
    for s in range(0, len(x_train), 100):
        b = perm[s:s + 100]
        optim.zero_grad()
        l = criterion(model(x_train[b]), y_train[b])
        l.backward()
        optim.step()
        total += l.item() * len(b)
    model.eval()
    with torch.no_grad():
        logits = model(x_val)
        vloss = criterion(logits, y_val).item()
        vacc = (logits.argmax(1) == y_val).float().mean().item()
        h = model.body(x_val)
        # how different are the hidden units from each other? (0 = all identical)
        unit_spread = h.std(dim=1).mean().item()
    print(f"ep {ep:02d} train_loss {total / len(x_train):.4f} val_loss {vloss:.4f} val_acc {vacc:.3f} "
          f"spread across hidden units {unit_spread:.2e}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4),
                                     "train_loss": round(total / len(x_train), 4), "chance_acc": 0.333,
                                     "hidden_unit_spread": float(f"{unit_spread:.3g}")}))
