# expect:
# allow:
# forbid: *
# evidence: complex (cfloat) Linear + modReLU on rFFT features: val_acc 0.910, val_loss 0.253, train_loss 0.161 (chance 0.25) after 7 epochs, val loss still falling/flat; metric: val_acc
"""Complex-valued network: signals are turned into their rFFT (torch.complex64), passed through
nn.Linear layers with dtype=torch.cfloat (complex weights, Wirtinger gradients), a modReLU
activation with a learnable real bias, and the class logits are the magnitudes of the last layer.
Task: 4 classes of noisy sinusoid mixtures (frequency pattern defines the class, random phase)."""
import os, sys, json, random, math
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
N, T, C = 2400, 64, 4
freqs = [(3, 7), (5, 11), (3, 11), (7, 13)]
y = torch.randint(0, C, (N,)); t = torch.arange(T).float()
sig = torch.zeros(N, T)
for c, (f1, f2) in enumerate(freqs):
    m = y == c; n = int(m.sum())
    ph = torch.rand(n, 2) * 2 * math.pi; a = 0.5 + torch.rand(n, 2)
    sig[m] = a[:, :1] * torch.sin(2 * math.pi * f1 * t / T + ph[:, :1]) + a[:, 1:] * torch.sin(2 * math.pi * f2 * t / T + ph[:, 1:])
sig = sig + 0.8 * torch.randn(N, T)
Z = torch.fft.rfft(sig, dim=1) / math.sqrt(T)          # (N, 33) complex64
Ztr, ytr, Zva, yva = Z[:1800], y[:1800], Z[1800:], y[1800:]
class ModReLU(nn.Module):
    def __init__(self, d): super().__init__(); self.b = nn.Parameter(torch.full((d,), -0.1))
    def forward(self, z):
        r = z.abs(); return F.relu(r + self.b) * z / (r + 1e-6)
model = nn.Sequential(nn.Linear(33, 32, dtype=torch.cfloat), ModReLU(32), nn.Linear(32, C, dtype=torch.cfloat))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
for ep in range(7):
    perm = torch.randperm(1800); tot = 0.0
    for i in range(0, 1800, 64):
        idx = perm[i:i + 64]
        loss = F.cross_entropy(model(Ztr[idx]).abs(), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    with torch.no_grad():
        out = model(Zva).abs(); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    if True: print(f"epoch {ep} train_loss {tot/1800:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / 1800, 4), "chance_acc": 0.25}))
