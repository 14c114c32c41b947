"""Autoregressive pixel model: binarised 8x8 digits read in raster order as 64-step binary
sequences; a GRU gets the previous pixel (teacher forcing, start token 0) plus the position
and predicts p(x_t = 1 | x_<t). Reports held-out NLL in bits/pixel against a per-pixel
independent Bernoulli baseline (the best you can do without modelling dependencies).
"""
# expect:
# allow:
# forbid: *
# evidence: val NLL 0.451 bits/pixel vs 0.570 for the independent-pixel Bernoulli baseline after 8 epochs; train 0.450, no gap
import os, sys, json, math, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)

X = (load_digits().data > 7).astype(np.float32)
Xtr, Xva = train_test_split(X, test_size=0.2, random_state=0)
Xtr, Xva = torch.tensor(Xtr), torch.tensor(Xva)
pos = F.one_hot(torch.arange(64), 64).float()

class PixelGRU(nn.Module):
    def __init__(self, h=48):
        super().__init__()
        self.inp = nn.Linear(1 + 64, h)
        self.gru = nn.GRU(h, h, batch_first=True)
        self.out = nn.Linear(h, 1)
    def forward(self, x):  # x: (B, 64) binary
        prev = torch.cat([torch.zeros(len(x), 1), x[:, :-1]], 1)  # teacher forcing
        inp = torch.cat([prev[..., None], pos.expand(len(x), 64, 64)], 2)
        h, _ = self.gru(torch.relu(self.inp(inp)))
        return self.out(h).squeeze(-1)

def bits_per_pixel(logits, x):
    return F.binary_cross_entropy_with_logits(logits, x).item() / math.log(2)

model = PixelGRU()
opt = torch.optim.Adam(model.parameters(), lr=6e-3)
p = Xtr.mean(0).clamp(1e-3, 1 - 1e-3)
base = (-(Xva * torch.log(p) + (1 - Xva) * torch.log(1 - p)).mean() / math.log(2)).item()
EPOCHS, BS = 8, 64
for ep in range(1, EPOCHS + 1):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0; n = 0
    for i in range(0, len(Xtr), BS):
        xb = Xtr[perm[i:i + BS]]
        loss = F.binary_cross_entropy_with_logits(model(xb), xb)
        opt.zero_grad(); loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 2.0)
        opt.step()
        tot += loss.item() * len(xb); n += len(xb)
    model.eval()
    with torch.no_grad():
        v = bits_per_pixel(model(Xva), Xva)
    print(f"epoch {ep:2d} train {tot / n / math.log(2):.4f} bits/px  val {v:.4f} bits/px  (independent-pixel baseline {base:.4f})")
print("CORPUS_METRIC " + json.dumps({"val_bits_per_pixel": round(v, 4), "baseline_bits_per_pixel": round(base, 4),
                                     "train_bits_per_pixel": round(tot / n / math.log(2), 4)}))
