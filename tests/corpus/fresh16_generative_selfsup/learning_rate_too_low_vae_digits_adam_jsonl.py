"""VAE (Gaussian decoder, sigma=0.1) on sklearn digits, beta=1 from the start. The learning
rate was typed as 3e-6 instead of 3e-4 (a missing digit in the config), so Adam's updates are
~1e-6 of the weights and the ELBO creeps down. --control uses 3e-4.
"""
# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (lr=3e-6): loss creeps 1005 -> 889 in 30 epochs, val -ELBO 881, val MSE 0.275 (worse than the mean-image baseline 0.074); control (lr=3e-4): val -ELBO 110, val MSE 0.029
# control: --control
# native-log: vae_metrics.jsonl
# log-expect: learning_rate_too_low
# log-allow: non_convergence, high_bias
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LR = 3e-4 if CONTROL else 3e-6
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X = load_digits().data.astype(np.float32) / 16.0
Xtr, Xva = train_test_split(X, test_size=0.2, random_state=1)
Xtr, Xva = torch.tensor(Xtr), torch.tensor(Xva)

class VAE(nn.Module):
    def __init__(self, d=64, h=128, z=10):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(d, h), nn.Tanh(), nn.Linear(h, 2 * z))
        self.dec = nn.Sequential(nn.Linear(z, h), nn.Tanh(), nn.Linear(h, d))
    def forward(self, x):
        mu, logvar = self.enc(x).chunk(2, 1)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return self.dec(z), mu, logvar

def elbo_terms(m, x):
    xh, mu, logvar = m(x)
    rec = ((xh - x) ** 2).sum(1).mean() / (2 * 0.1 ** 2)
    kl = (-0.5 * (1 + logvar - mu ** 2 - logvar.exp()).sum(1)).mean()
    return rec, kl, xh

model = VAE()
opt = torch.optim.Adam(model.parameters(), lr=LR)
log = open(os.path.join(LOG_DIR, "vae_metrics.jsonl"), "w")
EPOCHS, BS = 30, 64
for ep in range(1, EPOCHS + 1):
    model.train(); perm = torch.randperm(len(Xtr)); tr = tk = 0; n = 0
    for i in range(0, len(Xtr), BS):
        xb = Xtr[perm[i:i + BS]]
        rec, kl, _ = elbo_terms(model, xb)
        opt.zero_grad(); (rec + kl).backward(); opt.step()
        tr += rec.item() * len(xb); tk += kl.item() * len(xb); n += len(xb)
    model.eval()
    with torch.no_grad():
        vr, vk, xh = elbo_terms(model, Xva)
        vmse = F.mse_loss(xh, Xva).item()
    log.write(json.dumps({"epoch": ep, "lr": LR, "loss": (tr + tk) / n, "recon": tr / n, "kl": tk / n,
                          "val_loss": vr.item() + vk.item(), "val_mse": vmse}) + "\n"); log.flush()
    if ep % 5 == 0 or ep == 1:
        print(f"epoch {ep:2d} lr {LR:g} loss {(tr + tk) / n:.2f} (recon {tr / n:.2f} KL {tk / n:.2f}) val -ELBO {vr.item() + vk.item():.2f} val mse {vmse:.4f}")
log.close()
base = F.mse_loss(Xtr.mean(0, keepdim=True).expand_as(Xva), Xva).item()
print("CORPUS_METRIC " + json.dumps({"val_neg_elbo": round(vr.item() + vk.item(), 3), "val_mse": round(vmse, 5),
                                     "baseline_mean_image_mse": round(base, 5), "train_loss": round((tr + tk) / n, 3), "lr": LR}))
