# expect:
# allow:
# forbid: *
# evidence: held-out negative ELBO 20.7 nats/image (recon BCE 10.6 + KL 10.1) vs 135.9 for the untrained VAE; recon pixel MSE 0.014 vs pixel variance 0.116
"""Variational autoencoder on 14x14 renders of a 5x7 font (letters + digits, random offset,
stroke dropout).  Bernoulli decoder, 8-d latent, KL annealed linearly over the first 2 epochs."""
import json
import math

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
RNG = np.random.default_rng(0)

ROWS = {
    "A": ["01110", "10001", "10001", "11111", "10001", "10001", "10001"],
    "C": ["01111", "10000", "10000", "10000", "10000", "10000", "01111"],
    "L": ["10000", "10000", "10000", "10000", "10000", "10000", "11111"],
    "T": ["11111", "00100", "00100", "00100", "00100", "00100", "00100"],
    "X": ["10001", "10001", "01010", "00100", "01010", "10001", "10001"],
    "2": ["01110", "10001", "00001", "00010", "00100", "01000", "11111"],
    "7": ["11111", "00001", "00010", "00100", "01000", "01000", "01000"],
    "0": ["01110", "10001", "10011", "10101", "11001", "10001", "01110"],
}
BITMAPS = [np.array([[c == "1" for c in r] for r in rows], np.float32) for rows in ROWS.values()]


def sample(n):
    out = np.zeros((n, 14, 14), np.float32)
    for i in range(n):
        g = BITMAPS[RNG.integers(len(BITMAPS))]
        g = np.kron(g, np.ones((1, 2), np.float32))              # 7 x 10
        g = g * (RNG.random(g.shape) > 0.05)
        oy, ox = RNG.integers(2, 6), RNG.integers(1, 4)
        out[i, oy:oy + 7, ox:ox + 10] = g
    return torch.from_numpy(out.reshape(n, -1))


class VAE(nn.Module):
    def __init__(self, d=196, h=256, z=8):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(d, h), nn.ReLU(), nn.Linear(h, h), nn.ReLU())
        self.mu, self.logvar = nn.Linear(h, z), nn.Linear(h, z)
        self.dec = nn.Sequential(nn.Linear(z, h), nn.ReLU(), nn.Linear(h, h), nn.ReLU(), nn.Linear(h, d))

    def forward(self, x):
        e = self.enc(x)
        mu, logvar = self.mu(e), self.logvar(e)
        zz = mu + torch.randn_like(mu) * (0.5 * logvar).exp()
        return self.dec(zz), mu, logvar


def elbo_terms(model, x):
    logits, mu, logvar = model(x)
    rec = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / len(x)
    kl = -0.5 * (1 + logvar - mu ** 2 - logvar.exp()).sum() / len(x)
    return rec, kl, logits


train, val = sample(3000), sample(600)
vae = VAE()
with torch.no_grad():
    r0, k0, _ = elbo_terms(vae, val)
untrained = (r0 + k0).item()
opt = torch.optim.Adam(vae.parameters(), lr=2e-3)
EPOCHS, BS, WARM = 12, 64, 2
steps_per_epoch = math.ceil(len(train) / BS)
for ep in range(EPOCHS):
    vae.train()
    perm = torch.randperm(len(train))
    agg = np.zeros(2)
    for b in range(steps_per_epoch):
        x = train[perm[b * BS:(b + 1) * BS]]
        beta = min(1.0, (ep * steps_per_epoch + b + 1) / (WARM * steps_per_epoch))
        rec, kl, _ = elbo_terms(vae, x)
        loss = rec + beta * kl
        opt.zero_grad()
        loss.backward()
        opt.step()
        agg += [rec.item(), kl.item()]
    agg /= steps_per_epoch
    vae.eval()
    with torch.no_grad():
        vr, vk, vlog = elbo_terms(vae, val)
        mse = ((torch.sigmoid(vlog) - val) ** 2).mean().item()
    print(f"epoch {ep:2d} beta {beta:.2f} train rec {agg[0]:.2f} kl {agg[1]:.2f} | "
          f"val -elbo {(vr + vk).item():.2f} (rec {vr.item():.2f} kl {vk.item():.2f}) mse {mse:.4f}")

print(f"untrained -elbo {untrained:.1f}")
print("CORPUS_METRIC " + json.dumps({"train_loss": round(float(agg.sum()), 3), "val_loss": round((vr + vk).item(), 3),
                                     "val_recon_bce": round(vr.item(), 3), "val_kl": round(vk.item(), 3),
                                     "untrained_val_loss": round(untrained, 2), "val_mse": round(mse, 5),
                                     "target_var": round(val.var().item(), 4)}))
