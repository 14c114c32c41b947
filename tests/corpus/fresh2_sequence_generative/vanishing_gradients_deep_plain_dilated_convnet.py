# expect: vanishing_gradients
# allow: non_convergence, high_bias, poor_initialization
# forbid: *
# evidence: planted (16 plain tanh blocks): stem weight grad ~1.3e-6 vs head 6.5e-2 throughout, val_acc 0.237, val_loss 1.392 (chance 0.25, ln4=1.386); control (residual blocks): stem grad ~4e-2, val_acc 0.983, val_loss 0.049
# control: --control
"""Time-series classifier (which of 4 frequency bands a noisy sinusoid is in) with a 16-block
stack of dilated Conv1d + tanh, "like a TCN".  The TCN paper wraps every block in a residual
connection; this port dropped them, so the signal and the gradient both go through 16 plain
tanh(conv) layers with PyTorch's default init and the gradient reaching the first layers is ~1e-6.
Plain SGD+momentum, as in the original code.  --control adds back `x + block(x)`; nothing else."""
import json
import math
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)

RESIDUAL = "--control" in sys.argv
DEPTH = 16
CH = 16
T = 64
N_CLASSES = 4


def make_series(n, gen):
    y = torch.randint(0, N_CLASSES, (n,), generator=gen)
    freq = (y.float() + 1) * 0.05 + 0.01 * torch.rand(n, generator=gen)
    phase = torch.rand(n, 1, generator=gen) * 2 * math.pi
    amp = 0.5 + torch.rand(n, 1, generator=gen)
    t = torch.arange(T).float()
    x = amp * torch.sin(2 * math.pi * freq[:, None] * t + phase) + 0.8 * torch.randn(n, T, generator=gen)
    return x.unsqueeze(1), y


class DilatedBlock(nn.Module):
    def __init__(self, ch, dilation, residual):
        super().__init__()
        self.conv = nn.Conv1d(ch, ch, 3, padding=dilation, dilation=dilation)
        self.residual = residual

    def forward(self, x):
        h = torch.tanh(self.conv(x))
        return x + h if self.residual else h


class SeriesNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv1d(1, CH, 3, padding=1)
        self.blocks = nn.Sequential(*[DilatedBlock(CH, 2 ** (i % 4), RESIDUAL) for i in range(DEPTH)])
        self.head = nn.Linear(CH, N_CLASSES)

    def forward(self, x):
        return self.head(self.blocks(self.stem(x)).mean(-1))


gen = torch.Generator().manual_seed(1)
x_val, y_val = make_series(1000, gen)
model = SeriesNet()
opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)

hist = {"step": [], "train_loss": [], "val_loss": [], "val_acc": [], "grad_stem": [], "grad_head": []}
for step in range(300):
    x, y = make_series(32, gen)
    loss = F.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 25 == 0 or step == 299:
        model.eval()
        with torch.no_grad():
            logits = model(x_val)
            vl = F.cross_entropy(logits, y_val).item()
            va = (logits.argmax(1) == y_val).float().mean().item()
        model.train()
        hist["step"].append(step)
        hist["train_loss"].append(loss.item())
        hist["val_loss"].append(vl)
        hist["val_acc"].append(va)
        hist["grad_stem"].append(model.stem.weight.grad.norm().item())
        hist["grad_head"].append(model.head.weight.grad.norm().item())

for k in range(len(hist["step"])):
    print(f"{hist['step'][k]:4d}  loss {hist['train_loss'][k]:.3f}  val_loss {hist['val_loss'][k]:.3f}  "
          f"val_acc {hist['val_acc'][k]:.3f}  |g stem| {hist['grad_stem'][k]:.2e}  |g head| {hist['grad_head'][k]:.2e}")

print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(hist["val_loss"][-1], 4), "val_acc": round(hist["val_acc"][-1], 4),
    "train_loss": round(hist["train_loss"][-1], 4), "chance_acc": 0.25,
    "median_grad_stem": float(torch.tensor(hist["grad_stem"]).median()),
    "median_grad_head": float(torch.tensor(hist["grad_head"]).median())}))
