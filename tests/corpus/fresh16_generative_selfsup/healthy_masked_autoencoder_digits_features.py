"""Masked autoencoder on the 64 digit-pixel features (tabular MAE): each step hides a random
50% of the features (zeroed, plus a mask-indicator channel) and the network reconstructs the
hidden ones; the loss is the MSE on the masked positions only. Evaluated on a held-out split
with a fixed mask, against column-mean imputation.
"""
# expect:
# allow:
# forbid: *
# evidence: val masked-MSE 0.0387 vs column-mean imputation 0.0728 (R2 on hidden pixels 0.47); train 0.0365 and val track each other
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)

X = load_digits().data.astype(np.float32) / 16.0
Xtr, Xva = train_test_split(X, test_size=0.25, random_state=0)
Xtr, Xva = torch.tensor(Xtr), torch.tensor(Xva)
col_mean = Xtr.mean(0)

net = nn.Sequential(nn.Linear(128, 256), nn.GELU(), nn.Linear(256, 256), nn.GELU(), nn.Linear(256, 64))
opt = torch.optim.AdamW(net.parameters(), lr=2e-3, weight_decay=0.05)
EPOCHS, BS, RATIO = 30, 64, 0.5
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=EPOCHS * ((len(Xtr) + BS - 1) // BS))

def masked_mse(x, m):
    inp = torch.cat([x * (1 - m), m], 1)
    out = net(inp)
    return (((out - x) ** 2) * m).sum() / m.sum()

gm = torch.Generator().manual_seed(99)
Mva = (torch.rand(Xva.shape, generator=gm) < RATIO).float()
base = ((((col_mean.expand_as(Xva)) - Xva) ** 2) * Mva).sum().item() / Mva.sum().item()
for ep in range(1, EPOCHS + 1):
    net.train(); perm = torch.randperm(len(Xtr)); tot = 0; n = 0
    for i in range(0, len(Xtr), BS):
        xb = Xtr[perm[i:i + BS]]
        m = (torch.rand_like(xb) < RATIO).float()
        loss = masked_mse(xb, m)
        opt.zero_grad(); loss.backward(); opt.step(); sched.step()
        tot += loss.item() * len(xb); n += len(xb)
    net.eval()
    with torch.no_grad():
        v = masked_mse(Xva, Mva).item()
    if ep % 5 == 0 or ep == 1:
        print(f"epoch {ep:2d} train masked-MSE {tot / n:.4f}  val masked-MSE {v:.4f}  (mean-imputation {base:.4f})  lr {sched.get_last_lr()[0]:.2e}")
print("CORPUS_METRIC " + json.dumps({"val_masked_mse": round(v, 5), "baseline_mean_imputation_mse": round(base, 5),
                                     "train_masked_mse": round(tot / n, 5), "val_r2_masked": round(1 - v / base, 4)}))
