"""Affine-coupling flow on an 8-Gaussian ring (raw coordinates, radius 4). The coupling
net outputs the scale directly (s = 1 + net(x)) and the log-determinant is torch.log(s):
nothing keeps s positive, so as soon as a scale crosses zero the log gives NaN and the
whole model is poisoned. --control parameterises the scale as softplus(.) (always > 0,
also 1 at init) and leaves everything else identical.
"""
# expect: non_finite
# allow: exploding_gradients, non_convergence, learning_rate_too_high, high_bias
# forbid: *
# evidence: planted: first NaN loss at epoch 11 (train NLL nan at epochs 11, 22, 23), val NLL nan at epochs 20-21 and 23-25 so the final val NLL is NaN; control (softplus scale): all losses finite, val NLL 5.64 -> 3.55 nats
# control: --control
import os, sys, json, math, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv

ang = torch.arange(8) * (2 * math.pi / 8)
centers = 4 * torch.stack([torch.cos(ang), torch.sin(ang)], 1)
def sample(n, g):
    return centers[torch.randint(0, 8, (n,), generator=g)] + 0.3 * torch.randn(n, 2, generator=g)
g = torch.Generator().manual_seed(0)
Xtr, Xva = sample(2400, g), sample(600, g)

SHIFT = math.log(math.e - 1)  # softplus(SHIFT) == 1
class Coupling(nn.Module):
    def __init__(self, mask, h=64):
        super().__init__()
        self.register_buffer("mask", mask)
        self.net = nn.Sequential(nn.Linear(2, h), nn.ReLU(), nn.Linear(h, h), nn.ReLU(), nn.Linear(h, 4))
    def forward(self, x):
        xm = x * self.mask
        raw, t = self.net(xm).chunk(2, 1)
        if CONTROL:
            s = F.softplus(raw + SHIFT)
        else:
            s = 1.0 + raw             # BUG: nothing keeps the scale positive
        s = s * (1 - self.mask) + self.mask
        y = xm + (1 - self.mask) * (x * s + t)
        return y, torch.log(s).sum(1)

layers = nn.ModuleList([Coupling(torch.tensor([1.0, 0.0]) if i % 2 == 0 else torch.tensor([0.0, 1.0])) for i in range(6)])
def nll(x):
    ld = torch.zeros(len(x))
    for l in layers:
        x, d = l(x); ld = ld + d
    return -(-0.5 * (x ** 2).sum(1) - math.log(2 * math.pi) + ld)

opt = torch.optim.Adam(layers.parameters(), lr=1e-3)
EPOCHS, BS = 25, 128
first_nan = None
for ep in range(1, EPOCHS + 1):
    perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), BS):
        loss = nll(Xtr[perm[i:i + BS]]).mean()
        if not torch.isfinite(loss) and first_nan is None:
            first_nan = (ep, i // BS)
            print(f"!! non-finite loss first seen at epoch {ep} batch {i // BS}: {loss.item()}")
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * BS
    with torch.no_grad():
        v = nll(Xva).mean().item()
    print(f"epoch {ep:2d} train NLL {tot / len(Xtr):+.4f}  val NLL {v:+.4f}")
nan_params = sum(int((~torch.isfinite(p)).any()) for p in layers.parameters())
print(f"parameter tensors containing NaN/Inf: {nan_params}")
print("CORPUS_METRIC " + json.dumps({"val_nll_nats": round(v, 4) if math.isfinite(v) else None,
                                     "val_nll_is_finite": math.isfinite(v), "first_nan_epoch": None if first_nan is None else first_nan[0],
                                     "nan_param_tensors": nan_params}))
