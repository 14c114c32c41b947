# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: planted (beta=400) collapses: 0/6 active latents, val_mse 0.0284 = target_var 0.0284 (decoder outputs the mean image), train_mse 0.0283; control (beta=1) 6/6 active, val_mse 0.0022
# control: --control
# VAE on Gaussian-bump images. The KL term was multiplied by BETA=400 (a "disentangling" beta copied from a
# paper that used a per-pixel-mean recon loss) while the recon here is summed over pixels -> posterior collapse:
# every latent is ignored and the decoder outputs the mean image. --control: beta = 1.
import sys, json, torch
import torch.nn as nn
import torch.nn.functional as F

CONTROL = "--control" in sys.argv
BETA = 1.0 if CONTROL else 400.0
torch.set_num_threads(1)
torch.manual_seed(0)

SIDE, Z = 12, 6
g = torch.Generator().manual_seed(5)
grid = torch.linspace(0, 1, SIDE)
GY, GX = torch.meshgrid(grid, grid, indexing="ij")


def bumps(n):
    c = torch.rand(n, 2, generator=g) * 0.8 + 0.1
    w = torch.rand(n, 1, 1, generator=g) * 0.1 + 0.06
    im = torch.exp(-((GY - c[:, 0, None, None]) ** 2 + (GX - c[:, 1, None, None]) ** 2) / (2 * w ** 2))
    return (im + 0.02 * torch.randn(im.shape, generator=g)).reshape(n, -1)


Xtr, Xva = bumps(3000), bumps(600)
D = SIDE * SIDE


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU())
        self.mu = nn.Linear(64, Z)
        self.logvar = nn.Linear(64, Z)
        self.dec = nn.Sequential(nn.Linear(Z, 64), nn.ReLU(), nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, D))

    def forward(self, x):
        h = self.enc(x)
        mu, lv = self.mu(h), self.logvar(h)
        z = mu + torch.randn_like(mu) * (0.5 * lv).exp()
        return self.dec(z), mu, lv


def loss_terms(model, x, sample=True):
    recon, mu, lv = model(x)
    if not sample:
        recon = model.dec(mu)
    rec = ((recon - x) ** 2).sum(1).mean() / (2 * 0.05 ** 2)          # Gaussian NLL, sigma = 0.05
    kl_per_dim = 0.5 * (mu ** 2 + lv.exp() - 1 - lv).mean(0)
    return rec, kl_per_dim, recon


vae = VAE()
opt = torch.optim.Adam(vae.parameters(), lr=1e-3)
for epoch in range(16):
    perm = torch.randperm(len(Xtr)); s_rec = s_kl = 0.0
    for i in range(0, len(Xtr), 100):
        xb = Xtr[perm[i:i + 100]]
        rec, kl, _ = loss_terms(vae, xb)
        loss = rec + BETA * kl.sum()
        opt.zero_grad(); loss.backward(); opt.step()
        s_rec += rec.item() / 30; s_kl += kl.sum().item() / 30
    with torch.no_grad():
        vrec, vkl, vrecon = loss_terms(vae, Xva, sample=False)
        vmse = F.mse_loss(vrecon, Xva).item()
    print(f"epoch {epoch:2d} train_rec {s_rec:9.2f} train_kl {s_kl:7.3f} val_rec {vrec.item():9.2f} val_kl {vkl.sum().item():7.3f} val_mse {vmse:.5f}")

with torch.no_grad():
    trec, tkl, trecon = loss_terms(vae, Xtr, sample=False)
    tmse = F.mse_loss(trecon, Xtr).item()
active = int((vkl > 0.01).sum().item())
print(f"active latent dims (KL > 0.01 nats): {active}/{Z}; per-dim KL {[round(v, 3) for v in vkl.tolist()]}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vmse, 6), "train_mse": round(tmse, 6),
                                      "target_var": round(Xva.var(0).mean().item(), 6),
                                      "val_loss": round(vrec.item() + vkl.sum().item(), 3),
                                      "train_loss": round(trec.item() + tkl.sum().item(), 3), "active_dims": active}))
