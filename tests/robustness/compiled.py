"""A model wrapped in torch.compile, trained for a few seeded steps; saves weights and losses to
argv[1]. Exits 3 when torch.compile itself does not work here (then there is nothing to compare)."""
import sys

import torch
from torch import nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 3))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
try:
    cmodel = torch.compile(model, backend=sys.argv[2] if len(sys.argv) > 2 else "inductor")
    cmodel(torch.randn(2, 6))
except Exception as exc:  # no compiler toolchain, unsupported platform, ...
    print(f"torch.compile unavailable: {type(exc).__name__}: {exc}", file=sys.stderr)
    sys.exit(3)
losses = []
for step in range(6):
    x, y = torch.randn(8, 6), torch.randint(0, 3, (8,))
    opt.zero_grad()
    loss = F.cross_entropy(cmodel(x), y)
    loss.backward()
    opt.step()
    losses.append(loss.detach())
torch.save({"compiled": {"state": {k: v.clone() for k, v in model.state_dict().items()},
                         "losses": torch.stack(losses)}}, sys.argv[1])
print("saved 1")
