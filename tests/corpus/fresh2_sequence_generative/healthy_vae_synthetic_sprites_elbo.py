# expect:
# allow:
# forbid: *
# evidence: held-out ELBO -36.1 nats/image (train -35.2) vs -70.0 for the independent-pixel mean-image model; reconstruction nll 26.4 against a soft-target entropy floor of 19.1; val reconstruction MSE 0.0078 vs pixel variance 0.061
"""MLP VAE on synthetic 16x16 "sprites": a horizontal or vertical bar plus a soft square blob at
random positions, values in [0,1].  Bernoulli likelihood via BCE-with-logits, 6-d Gaussian latent,
KL annealed from 0 to 1 over the first 300 steps, Adam 1e-3.  Writes a hand-rolled CSV
(step,train_loss,recon,kl,beta) into $CORPUS_LOG_DIR and reports the held-out ELBO."""
import csv
import json
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(5)

S = 16
D = S * S
LATENT = 6
STEPS, BATCH, ANNEAL = 2000, 64, 300


def sprites(n, gen):
    img = torch.zeros(n, S, S)
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    horiz = torch.rand(n, generator=gen) < 0.5
    pos = torch.randint(1, S - 1, (n,), generator=gen)
    for i in range(n):
        p = int(pos[i])
        if horiz[i]:
            img[i, p, 2:S - 2] = 1.0
        else:
            img[i, 2:S - 2, p] = 1.0
    cy = torch.randint(3, S - 3, (n, 1, 1), generator=gen).float()
    cx = torch.randint(3, S - 3, (n, 1, 1), generator=gen).float()
    blob = torch.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 4.0)
    return torch.clamp(img + blob, 0, 1).view(n, D)


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(D, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU())
        self.mu = nn.Linear(128, LATENT)
        self.logvar = nn.Linear(128, LATENT)
        self.dec = nn.Sequential(nn.Linear(LATENT, 128), nn.ReLU(), nn.Linear(128, 256), nn.ReLU(),
                                 nn.Linear(256, D))

    def forward(self, x):
        h = self.enc(x)
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return self.dec(z), mu, logvar


def terms(model, x):
    logits, mu, logvar = model(x)
    recon = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / x.shape[0]
    kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp()) / x.shape[0]
    return recon, kl, logits


gen = torch.Generator().manual_seed(8)
x_train = sprites(4000, gen)
x_val = sprites(800, gen)

model = VAE()
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
csv_path = os.path.join(log_dir, "vae_log.csv")

with open(csv_path, "w", newline="") as fh:
    writer = csv.writer(fh)
    writer.writerow(["step", "train_loss", "recon", "kl", "beta", "val_neg_elbo"])
    for step in range(STEPS):
        beta = min(1.0, step / ANNEAL)
        idx = torch.randint(0, len(x_train), (BATCH,), generator=gen)
        recon, kl, _ = terms(model, x_train[idx])
        loss = recon + beta * kl
        opt.zero_grad()
        loss.backward()
        opt.step()
        val_cell = ""
        if step % 200 == 199:
            model.eval()
            with torch.no_grad():
                vr, vk, _ = terms(model, x_val)
            model.train()
            val_cell = f"{(vr + vk).item():.3f}"
            print(f"step {step + 1}: -ELBO train {(recon + kl).item():.2f}  val {val_cell}  "
                  f"(recon {vr.item():.2f}, KL {vk.item():.2f}, beta {beta:.2f})")
        writer.writerow([step, f"{loss.item():.4f}", f"{recon.item():.4f}", f"{kl.item():.4f}", f"{beta:.3f}", val_cell])

model.eval()
with torch.no_grad():
    vr, vk, logits = terms(model, x_val)
    tr, tk, _ = terms(model, x_train[:800])
    val_mse = F.mse_loss(torch.sigmoid(logits), x_val).item()
    # baseline: independent Bernoulli pixels at the training mean (a model that learnt nothing)
    p = x_train.mean(0, keepdim=True).clamp(1e-4, 1 - 1e-4)
    base = F.binary_cross_entropy(p.expand_as(x_val), x_val, reduction="sum").item() / len(x_val)
print("CORPUS_METRIC " + json.dumps({
    "val_elbo": round(-(vr + vk).item(), 3), "val_recon_nll": round(vr.item(), 3), "val_kl": round(vk.item(), 3),
    "train_elbo": round(-(tr + tk).item(), 3), "train_loss": round((tr + tk).item(), 3),
    "baseline_nll_mean_image": round(base, 3), "val_mse": round(val_mse, 5),
    "pixel_var": round(x_val.var().item(), 5)}))
