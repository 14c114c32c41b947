"""Gaussian-encoder / Gaussian-decoder (fixed sigma=0.1) VAE on the 8x8 sklearn digits with a linear
KL warm-up (beta 0 -> 1 over the first 12 epochs). Both ELBO terms are printed: the KL
term RISES during warm-up (the encoder starts using the latent once it is allowed to),
which is expected and not a sign of trouble. Logs one JSON line per epoch.
"""
# expect:
# allow:
# forbid: *
# evidence: train KL rises 0.19 -> 16 nats during the 12-epoch warm-up while val -ELBO falls 266 -> 77; final val recon MSE (posterior mean) 0.0178 vs mean-image baseline 0.0737
# native-log: vae_train.jsonl
# log-expect:
# log-allow:
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X = load_digits().data.astype(np.float32) / 16.0
Xtr, Xva = train_test_split(X, test_size=0.2, random_state=0)
Xtr, Xva = torch.tensor(Xtr), torch.tensor(Xva)

class VAE(nn.Module):
    def __init__(self, d=64, h=128, z=8):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(d, h), nn.ReLU(), nn.Linear(h, h), nn.ReLU())
        self.mu, self.logvar = nn.Linear(h, z), nn.Linear(h, z)
        self.dec = nn.Sequential(nn.Linear(z, h), nn.ReLU(), nn.Linear(h, h), nn.ReLU(), nn.Linear(h, d))
    def forward(self, x):
        hh = self.enc(x)
        mu, logvar = self.mu(hh), self.logvar(hh)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return self.dec(z), mu, logvar

def terms(model, x):
    logits, mu, logvar = model(x)
    # Gaussian decoder, fixed sigma=0.1: -log p(x|z) = sum (x - mean)^2 / (2 sigma^2) + const
    recon = ((logits - x) ** 2).sum(1).mean() / (2 * 0.1 ** 2)
    kl = (-0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum(1)).mean()
    return recon, kl, logits

model = VAE()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
EPOCHS, WARM, BS = 30, 12, 64
log = open(os.path.join(LOG_DIR, "vae_train.jsonl"), "w")
for ep in range(1, EPOCHS + 1):
    beta = min(1.0, ep / WARM)
    model.train()
    perm = torch.randperm(len(Xtr))
    s_rec = s_kl = n = 0
    for i in range(0, len(Xtr), BS):
        xb = Xtr[perm[i:i + BS]]
        recon, kl, _ = terms(model, xb)
        loss = recon + beta * kl
        opt.zero_grad(); loss.backward(); opt.step()
        s_rec += recon.item() * len(xb); s_kl += kl.item() * len(xb); n += len(xb)
    model.eval()
    with torch.no_grad():
        vr, vk, logits = terms(model, Xva)
        vmse = F.mse_loss(logits, Xva).item()
    rec = {"epoch": ep, "beta": round(beta, 4), "train_recon": s_rec / n, "train_kl": s_kl / n,
           "train_loss": s_rec / n + beta * s_kl / n, "val_recon": vr.item(), "val_kl": vk.item(),
           "val_neg_elbo": vr.item() + vk.item(), "val_recon_mse": vmse}
    log.write(json.dumps(rec) + "\n"); log.flush()
    if ep % 5 == 0 or ep == 1:
        print(f"epoch {ep:2d} beta {beta:.2f} | recon {rec['train_recon']:.2f} KL {rec['train_kl']:.2f} | val -ELBO {rec['val_neg_elbo']:.2f} (recon {vr.item():.2f} + KL {vk.item():.2f}) val mse {vmse:.4f}")
log.close()
baseline = F.mse_loss(Xtr.mean(0, keepdim=True).expand_as(Xva), Xva).item()
with torch.no_grad():
    model.eval()
    mu = model.mu(model.enc(Xva))
    mse_mean = F.mse_loss(model.dec(mu), Xva).item()
print(f"val recon mse (posterior mean) {mse_mean:.4f} vs mean-image baseline {baseline:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_neg_elbo": round(rec["val_neg_elbo"], 3), "val_recon": round(rec["val_recon"], 3),
                                     "val_kl": round(rec["val_kl"], 3), "val_recon_mse": round(mse_mean, 5),
                                     "baseline_mean_image_mse": round(baseline, 5), "train_loss": round(rec["train_loss"], 3)}))
