"""Lightning Fabric loop: 10-layer MLP on a 2-D "two spirals"-style task.

ACT is set to nn.Sigmoid (copied from an old logistic-regression notebook)
for every hidden layer of a deep plain MLP with default init; the gradient
reaching the first layers is orders of magnitude smaller than at the top and
the net barely leaves chance.  --control uses ReLU (the only change).
"""
# expect: vanishing_gradients
# allow: non_convergence, high_bias, saturated_activations, learning_rate_too_low
# forbid: *
# evidence: control (ReLU) val_acc 1.00 / val_loss 0.00; planted (Sigmoid) val_acc 0.51 / val_loss 0.694 (chance 0.5), first-layer grad norm 3e-10 vs last-layer 1e-1
# control: --control
# native-log: metrics.csv
# log-expect: non_convergence
# log-allow: vanishing_gradients, high_bias, learning_rate_too_low
import argparse
import json
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.fabric import Fabric
from lightning.fabric.loggers import CSVLogger

torch.set_num_threads(1)

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true")
parser.add_argument("--epochs", type=int, default=25)
parser.add_argument("--depth", type=int, default=10)
args = parser.parse_args()
ACT = nn.ReLU if args.control else nn.Sigmoid


def spirals(n, rng):
    t = rng.uniform(0.25, 1, n) * 3 * np.pi
    lab = rng.integers(0, 2, n)
    r = t / (3 * np.pi)
    ang = t + lab * np.pi
    X = np.stack([r * np.cos(ang), r * np.sin(ang)], 1) + rng.normal(0, 0.03, (n, 2))
    return (X * 2).astype(np.float32), lab


def make_net(depth, width=64):
    layers, d = [], 2
    for _ in range(depth):
        layers += [nn.Linear(d, width), ACT()]
        d = width
    layers.append(nn.Linear(d, 2))
    return nn.Sequential(*layers)


fabric = Fabric(accelerator="cpu", devices=1,
                loggers=CSVLogger(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), name="", version=""))
fabric.seed_everything(42)
rng = np.random.default_rng(42)
Xtr, ytr = spirals(2000, rng)
Xva, yva = spirals(500, rng)
train_loader = torch.utils.data.DataLoader(
    torch.utils.data.TensorDataset(torch.tensor(Xtr), torch.tensor(ytr)), batch_size=64, shuffle=True)
model = make_net(args.depth)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
model, optimizer = fabric.setup(model, optimizer)
train_loader = fabric.setup_dataloaders(train_loader)
xv, yv = torch.tensor(Xva), torch.tensor(yva)
first, last = model.module[0], model.module[-1]

step = 0
for epoch in range(args.epochs):
    model.train()
    for xb, yb in train_loader:
        loss = F.cross_entropy(model(xb), yb)
        optimizer.zero_grad()
        fabric.backward(loss)
        g_first, g_last = first.weight.grad.norm().item(), last.weight.grad.norm().item()
        optimizer.step()
        if step % 10 == 0:
            fabric.log_dict({"train_loss": loss.item(), "grad_norm_first": g_first, "grad_norm_last": g_last}, step=step)
        step += 1
    model.eval()
    with torch.no_grad():
        out = model(xv)
        vl, va = F.cross_entropy(out, yv).item(), (out.argmax(1) == yv).float().mean().item()
    fabric.log_dict({"val_loss": vl, "val_acc": va, "epoch": epoch}, step=step)
fabric.logger.finalize("success")
print(f"first-layer grad {g_first:.2e}  last-layer grad {g_last:.2e}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(loss.item(), 4),
                                     "grad_norm_first": g_first, "grad_norm_last": g_last, "chance_acc": 0.5}))
