"""Toy DDPM on two-moons: a tanh MLP predicts the noise eps from (x_t, t-embedding). The
author re-initialised the hidden Linear weights with N(0, 2^2) ("to make the network expressive")
instead of the default fan-in scaling; with 128-wide layers every tanh unit sits at +-1 and
the net can barely fit eps. --control keeps PyTorch's default init.
"""
# expect: saturated_activations
# allow: non_convergence, high_bias, vanishing_gradients, poor_initialization
# forbid: *
# evidence: planted (hidden W ~ N(0,2^2)): 68% / 90% / 91% of tanh outputs have |a|>0.99 throughout training, val noise-MSE 0.558; control (default init): 0% / 3% / 10% saturated, val noise-MSE 0.488 (predict-zero baseline 1.0)
# control: --control
import os, sys, json, math, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_moons

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv

def moons(n, seed):
    x, _ = make_moons(n, noise=0.05, random_state=seed)
    return torch.tensor((x - [0.5, 0.25]) / [0.87, 0.5], dtype=torch.float32)
data, held = moons(3000, 0), moons(800, 1)
T = 50
betas = torch.linspace(1e-4, 0.1, T); alphas = 1 - betas; abar = torch.cumprod(alphas, 0)

def temb(t, dim=16):
    f = torch.exp(-math.log(100.0) * torch.arange(dim // 2) / (dim // 2))
    a = t.float()[:, None] * f[None]
    return torch.cat([torch.sin(a), torch.cos(a)], 1)

net = nn.Sequential(nn.Linear(2 + 16, 128), nn.Tanh(), nn.Linear(128, 128), nn.Tanh(), nn.Linear(128, 128), nn.Tanh(), nn.Linear(128, 2))
if not CONTROL:
    for m in list(net)[:-1]:          # hidden layers only; the output layer keeps its default init
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0.0, 2.0)
opt = torch.optim.Adam(net.parameters(), lr=1e-3)

def saturation(x, t):
    fr = []
    with torch.no_grad():
        h = torch.cat([x, temb(t)], 1)
        for m in net:
            h = m(h)
            if isinstance(m, nn.Tanh):
                fr.append(float((h.abs() > 0.99).float().mean()))
    return fr

def noisy(x0, g=None):
    t = torch.randint(0, T, (len(x0),), generator=g)
    eps = torch.randn(x0.shape, generator=g)
    return abar[t].sqrt()[:, None] * x0 + (1 - abar[t]).sqrt()[:, None] * eps, t, eps

gv = torch.Generator().manual_seed(3)
xv, tv, ev = noisy(held, gv)
print(f"init: fraction of tanh outputs with |a|>0.99 per layer {['%.2f' % s for s in saturation(xv, tv)]}")
STEPS, BS = 1500, 128
run = 0
for step in range(1, STEPS + 1):
    xt, t, eps = noisy(data[torch.randint(0, len(data), (BS,))])
    loss = F.mse_loss(net(torch.cat([xt, temb(t)], 1)), eps)
    opt.zero_grad(); loss.backward(); opt.step()
    run += loss.item()
    if step % 300 == 0:
        with torch.no_grad():
            v = F.mse_loss(net(torch.cat([xv, temb(tv)], 1)), ev).item()
        print(f"step {step:4d} train loss {run / 300:.4f} val noise-MSE {v:.4f} | saturated tanh frac {['%.2f' % s for s in saturation(xv, tv)]}")
        run = 0
sat = saturation(xv, tv)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(v, 4), "baseline_val_loss": 1.0, "saturated_frac_per_layer": [round(s, 3) for s in sat]}))
