"""Exit behaviour: `exits.py raise` raises, `exits.py code N` calls sys.exit(N), `exits.py interrupt`
raises KeyboardInterrupt, all after a few training steps."""
import sys

import torch
from torch import nn

model = nn.Linear(4, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for _ in range(5):
    loss = nn.functional.mse_loss(model(torch.randn(8, 4)), torch.randn(8, 1))
    opt.zero_grad()
    loss.backward()
    opt.step()
print("stdout from the script")
print("stderr from the script", file=sys.stderr)
mode = sys.argv[1]
if mode == "raise":
    raise RuntimeError("boom from the script")
if mode == "code":
    sys.exit(int(sys.argv[2]))
if mode == "interrupt":
    raise KeyboardInterrupt
