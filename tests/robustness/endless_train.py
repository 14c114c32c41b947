"""Trains until killed (at most argv[1] steps): an MLP with an eval every 25 steps."""
import sys

import torch
from torch import nn
import torch.nn.functional as F

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 3))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
x, y = torch.randn(256, 8), torch.randint(0, 3, (256,))
for step in range(int(sys.argv[1]) if len(sys.argv) > 1 else 10**9):
    i = (step * 32) % 224
    opt.zero_grad()
    F.cross_entropy(model(x[i:i + 32]), y[i:i + 32]).backward()
    opt.step()
    if step % 25 == 24:
        with torch.no_grad():
            F.cross_entropy(model(x[224:]), y[224:])
