"""Convolution-free image autoencoder on digits stored as 8-bit images (values 0..255, as they
come out of a PNG). The script feeds the raw 0..255 pixels to the network and reconstructs
them with MSE, using the SGD(lr=0.05, momentum=0.9) recipe that works for [0,1] images; on 0..255 inputs the
MSE and its gradients are orders of magnitude larger and training blows up to NaN within the first epoch.
--control divides by 255 (and multiplies back for the metric, which is reported relative to
the pixel variance so both runs are comparable).
"""
# expect: unnormalized_inputs
# allow: non_convergence, exploding_gradients, learning_rate_too_high, non_finite, high_bias, dead_units
# forbid: *
# evidence: planted (raw 0..255, input mean 77.8): train and val MSE are NaN from epoch 1 on, final metric NaN; control (/255): val MSE 0.0220 = 0.30 of pixel variance after 30 epochs
# control: --control
import os, sys, json, math, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv

imgs = np.round(load_digits().data * (255.0 / 16.0)).astype(np.uint8)   # 8-bit images
Xtr, Xva = train_test_split(imgs, test_size=0.2, random_state=3)
scale = 255.0 if CONTROL else 1.0
Xtr = torch.tensor(Xtr, dtype=torch.float32) / scale
Xva = torch.tensor(Xva, dtype=torch.float32) / scale

model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 16), nn.ReLU(), nn.Linear(16, 128), nn.ReLU(), nn.Linear(128, 64))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
EPOCHS, BS = 30, 32
var = Xva.var(0).mean().item()
for ep in range(1, EPOCHS + 1):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0; n = 0
    for i in range(0, len(Xtr), BS):
        xb = Xtr[perm[i:i + BS]]
        loss = F.mse_loss(model(xb), xb)
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(xb); n += len(xb)
    model.eval()
    with torch.no_grad():
        v = F.mse_loss(model(Xva), Xva).item()
    if ep % 5 == 0 or ep == 1:
        print(f"epoch {ep:2d} train MSE {tot / n:.5g}  val MSE {v:.5g}  val relative MSE {v / var:.4f}  (input mean {Xtr.mean().item():.3g}, max {Xtr.max().item():.0f})")
rel = v / var if math.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({"val_relative_mse": None if rel is None else round(rel, 4), "val_mse": round(v, 6) if math.isfinite(v) else None,
                                     "target_variance": round(var, 6), "input_scale": "0-1" if CONTROL else "0-255"}))
