"""VAE on sklearn digits where the reconstruction is computed from `x_hat.detach()` (left over
from code that logged sample images). The reconstruction term therefore sends no gradient to
decoder or encoder; only the KL term trains, which just pulls q(z|x) onto the prior. The
reported loss barely moves and the reconstruction stays at its initial level.
--control removes the .detach().
"""
# expect: non_convergence
# allow: high_bias, learning_rate_too_low, vanishing_gradients
# forbid: *
# evidence: (decoder params get no gradient at all, hence the extra allows) planted: train loss flat at 44.5-44.6 for all 25 epochs (KL collapses to 0.000), val MSE 0.178 (mean-image baseline 0.075); control (no detach): loss 39.6 -> 25.1, val MSE 0.036
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
Xtr, Xva = train_test_split(X, test_size=0.2, random_state=2)
Xtr, Xva = torch.tensor(Xtr), torch.tensor(Xva)

class VAE(nn.Module):
    def __init__(self, d=64, h=128, z=8):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(d, h), nn.ReLU(), nn.Linear(h, 2 * z))
        self.dec = nn.Sequential(nn.Linear(z, h), nn.ReLU(), nn.Linear(h, d), nn.Sigmoid())
    def forward(self, x):
        mu, logvar = self.enc(x).chunk(2, 1)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return self.dec(z), mu, logvar

model = VAE()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
EPOCHS, BS = 25, 64
for ep in range(1, EPOCHS + 1):
    model.train(); perm = torch.randperm(len(Xtr)); tr = tk = 0; n = 0
    for i in range(0, len(Xtr), BS):
        xb = Xtr[perm[i:i + BS]]
        xh, mu, logvar = model(xb)
        xh_for_loss = xh if CONTROL else xh.detach()   # BUG: detached (was meant only for logging)
        rec = F.binary_cross_entropy(xh_for_loss, xb, reduction="sum") / len(xb)
        kl = (-0.5 * (1 + logvar - mu ** 2 - logvar.exp()).sum(1)).mean()
        loss = rec + kl
        opt.zero_grad(); loss.backward(); opt.step()
        tr += rec.item() * len(xb); tk += kl.item() * len(xb); n += len(xb)
    model.eval()
    with torch.no_grad():
        xh, mu, logvar = model(Xva)
        vrec = F.binary_cross_entropy(xh, Xva, reduction="sum").item() / len(Xva)
        vkl = (-0.5 * (1 + logvar - mu ** 2 - logvar.exp()).sum(1)).mean().item()
        vmse = F.mse_loss(model.dec(mu), Xva).item()
    if ep % 5 == 0 or ep == 1:
        print(f"epoch {ep:2d} loss {(tr + tk) / n:.3f} (recon {tr / n:.3f} KL {tk / n:.3f}) val -ELBO {vrec + vkl:.3f} val mse {vmse:.4f}")
base = F.mse_loss(Xtr.mean(0, keepdim=True).expand_as(Xva), Xva).item()
print("CORPUS_METRIC " + json.dumps({"val_neg_elbo": round(vrec + vkl, 3), "val_recon_bce": round(vrec, 3), "val_mse": round(vmse, 5),
                                     "baseline_mean_image_mse": round(base, 5), "train_loss": round((tr + tk) / n, 3)}))
