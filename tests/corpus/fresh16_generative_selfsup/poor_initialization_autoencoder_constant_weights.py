"""Digits autoencoder (64-128-16-128-64, ReLU) whose weights were all set with
nn.init.constant_(w, 0.01) (someone wanted "deterministic" runs). Every hidden unit in a layer
starts identical and receives identical gradients forever, so each layer behaves like a single
unit and reconstruction stays near the mean image. --control uses the default (Kaiming-uniform)
init; seeds and everything else are unchanged.
"""
# expect: poor_initialization
# allow: non_convergence, high_bias, dead_units
# forbid: *
# evidence: planted (constant 0.01): across-unit activation std is exactly 0 in all 3 hidden layers for all 30 epochs, val MSE 0.0714 = 0.97 of pixel variance (mean-image level); control (default init): val MSE 0.0143 (0.19 of variance)
# control: --control
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv

X = load_digits().data.astype(np.float32) / 16.0
Xtr, Xva = train_test_split(X, test_size=0.2, random_state=4)
Xtr, Xva = torch.tensor(Xtr), torch.tensor(Xva)

model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 16), nn.ReLU(),
                      nn.Linear(16, 128), nn.ReLU(), nn.Linear(128, 64))
if not CONTROL:
    for m in model:
        if isinstance(m, nn.Linear):
            nn.init.constant_(m.weight, 0.01); nn.init.zeros_(m.bias)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)

def unit_spread():
    """std across units of each hidden layer's activations (0 = all units identical)."""
    out = []
    with torch.no_grad():
        h = Xva
        for m in model[:-1]:
            h = m(h)
            if isinstance(m, nn.ReLU):
                out.append(float(h.std(1).mean()))
    return out

var = Xva.var(0).mean().item()
EPOCHS, BS = 30, 64
for ep in range(1, EPOCHS + 1):
    perm = torch.randperm(len(Xtr)); tot = 0; n = 0
    for i in range(0, len(Xtr), BS):
        xb = Xtr[perm[i:i + BS]]
        loss = F.mse_loss(model(xb), xb)
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(xb); n += len(xb)
    with torch.no_grad():
        v = F.mse_loss(model(Xva), Xva).item()
    if ep % 5 == 0 or ep == 1:
        print(f"epoch {ep:2d} train MSE {tot / n:.5f} val MSE {v:.5f} (pixel variance {var:.5f}) | across-unit std per hidden layer {['%.3g' % s for s in unit_spread()]}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(v, 5), "target_variance": round(var, 5), "val_relative_mse": round(v / var, 4),
                                     "train_mse": round(tot / n, 5), "across_unit_std": [round(s, 5) for s in unit_spread()]}))
