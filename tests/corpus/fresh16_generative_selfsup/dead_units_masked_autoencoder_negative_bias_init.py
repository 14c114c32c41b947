"""Masked autoencoder on breast-cancer tabular features (30 standardised columns, 40% masked
per row, reconstruct the masked ones). A "sparsity trick" copied from a blog initialises
every encoder ReLU bias to -3, so almost all hidden units never fire for any input and the
network can only learn through the few that do. --control uses the default bias init.
"""
# expect: dead_units
# allow: non_convergence, high_bias, vanishing_gradients
# forbid: *
# evidence: planted (bias -3): 97-100% of encoder ReLUs never fire on the training set, val masked-MSE stuck at 0.998 (predict-the-mean level 1.0); control (default bias): 0% / 7% dead, val masked-MSE 0.240
# control: --control
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv

X = load_breast_cancer().data
Xtr, Xva = train_test_split(X, test_size=0.25, random_state=0)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32)
Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
D = 30
enc = nn.Sequential(nn.Linear(2 * D, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU())
dec = nn.Linear(128, D)
if not CONTROL:
    for m in enc:
        if isinstance(m, nn.Linear):
            nn.init.constant_(m.bias, -3.0)     # "sparse activations" init
opt = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), lr=1e-3)

def loss_fn(x, m):
    out = dec(enc(torch.cat([x * (1 - m), m], 1)))
    return (((out - x) ** 2) * m).sum() / m.sum()

def dead_fraction(x, m):
    with torch.no_grad():
        h1 = enc[1](enc[0](torch.cat([x * (1 - m), m], 1)))
        h2 = enc[3](enc[2](h1))
    return [float(((h > 0).sum(0) == 0).float().mean()) for h in (h1, h2)]

gm = torch.Generator().manual_seed(5)
Mva = (torch.rand(Xva.shape, generator=gm) < 0.4).float()
EPOCHS, BS = 60, 32
for ep in range(1, EPOCHS + 1):
    perm = torch.randperm(len(Xtr)); tot = 0; n = 0
    for i in range(0, len(Xtr), BS):
        xb = Xtr[perm[i:i + BS]]
        m = (torch.rand_like(xb) < 0.4).float()
        loss = loss_fn(xb, m)
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(xb); n += len(xb)
    with torch.no_grad():
        v = loss_fn(Xva, Mva).item()
    if ep % 10 == 0 or ep == 1:
        d1, d2 = dead_fraction(Xtr, (torch.rand_like(Xtr) < 0.4).float())
        print(f"epoch {ep:2d} train masked-MSE {tot / n:.4f}  val masked-MSE {v:.4f}  dead ReLU units: layer1 {d1:.2f} layer2 {d2:.2f}")
d1, d2 = dead_fraction(Xtr, (torch.rand_like(Xtr) < 0.4).float())
print("CORPUS_METRIC " + json.dumps({"val_masked_mse": round(v, 4), "baseline_predict_mean_mse": 1.0, "train_masked_mse": round(tot / n, 4),
                                     "dead_frac_layer1": round(d1, 3), "dead_frac_layer2": round(d2, 3)}))
