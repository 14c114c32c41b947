# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: spectral_norm on every Linear caps the net's Lipschitz constant at 1, but the target (standardised, 1-d signal with frequency 3 and amplitude ~1.4) needs slope ~8; planted train_mse 0.719 / val_mse 0.741 (target variance 1.00), flat from epoch 4 to 40; --control (plain Linear layers) train_mse 0.008 / val_mse 0.008
# control: --control
"""Someone copied a GAN-discriminator habit (spectral_norm everywhere, 'for stability') into a
regression model on a wiggly 1-d signal. Adam + cosine schedule."""
import json
import math
import sys
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.parametrizations import spectral_norm

torch.set_num_threads(1)
torch.manual_seed(0)
CONTROL = "--control" in sys.argv


def make(n):
    x = torch.rand(n, 1) * 4 - 2
    y = torch.sin(3 * math.pi * x[:, 0] / 2) * 1.4 + 0.3 * x[:, 0] + 0.1 * torch.randn(n)
    return x, y


xtr, ytr = make(2000)
xva, yva = make(500)
ymu, ysd = ytr.mean(), ytr.std()
ytr, yva = (ytr - ymu) / ysd, (yva - ymu) / ysd
xmu, xsd = xtr.mean(0), xtr.std(0)
xtr, xva = (xtr - xmu) / xsd, (xva - xmu) / xsd


def lin(i, o):
    layer = nn.Linear(i, o)
    return layer if CONTROL else spectral_norm(layer)


model = nn.Sequential(lin(1, 64), nn.Tanh(), lin(64, 64), nn.Tanh(), lin(64, 64), nn.Tanh(), lin(64, 1))
EPOCHS = 40
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS)

for epoch in range(EPOCHS):
    model.train()
    perm = torch.randperm(len(xtr))
    tot = 0.0
    for s in range(0, len(xtr), 64):
        idx = perm[s:s + 64]
        loss = F.mse_loss(model(xtr[idx]).squeeze(1), ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(idx)
    sched.step()
    model.eval()
    with torch.no_grad():
        val_mse = F.mse_loss(model(xva).squeeze(1), yva).item()
    if epoch % 5 == 4:
        print(f"epoch {epoch} train_mse {tot / len(xtr):.4f} val_mse {val_mse:.4f}")

model.eval()
with torch.no_grad():
    train_mse = F.mse_loss(model(xtr).squeeze(1), ytr).item()
    val_mse = F.mse_loss(model(xva).squeeze(1), yva).item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 4), "train_mse": round(train_mse, 4),
                                      "target_var": round(yva.var().item(), 4)}))
