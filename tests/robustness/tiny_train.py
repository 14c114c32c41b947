"""A small seeded training (MLP, SGD, an eval every 10 steps, traindx.log calls that are wrong on
purpose); saves the final weights and losses to argv[1] and prints `done N`."""
import sys

import torch
from torch import nn
import torch.nn.functional as F

steps = int(sys.argv[2]) if len(sys.argv) > 2 else 30
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 16), nn.Sigmoid(), nn.Linear(16, 3))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x, y = torch.randn(64, 8), torch.randint(0, 3, (64,))
losses = []
for step in range(steps):
    opt.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
    losses.append(loss.detach())
    if step % 10 == 9:
        with torch.no_grad():
            val = F.cross_entropy(model(x[:16]), y[:16])
        try:
            import traindx
            traindx.log(val_loss=val, note="not a number")
            traindx.log(step="not an int", val_acc=object())
        except Exception as exc:  # traindx.log must never raise into the training
            print(f"traindx.log raised {exc!r}", file=sys.stderr)
            sys.exit(7)
torch.save({"tiny": {"state": model.state_dict(), "losses": torch.stack(losses)}}, sys.argv[1])
print(f"done {steps}")
