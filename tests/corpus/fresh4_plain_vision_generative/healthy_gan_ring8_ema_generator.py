# expect:
# allow:
# forbid: *
# evidence: EMA generator covers 8/8 ring modes, high-quality (<3 std from a mode) fraction 0.53 (real data: 0.99), held-out MMD 0.039 (untrained G: 1.94)
"""Vanilla GAN on the classic 8-gaussians-on-a-ring toy problem.

Non-saturating generator loss, two Adam optimizers with beta1=0.5, step lr decay
and an EMA copy of the generator that is used for evaluation. At the end we probe sample
quality on a held-out set of real points: mode coverage + MMD.
"""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
import copy

torch.set_num_threads(1)
torch.manual_seed(0)

N_MODES = 8
RADIUS = 2.0
STD = 0.1
Z_DIM = 8
STEPS = 1000
BATCH = 128


def sample_real(n, gen=None):
    idx = torch.randint(0, N_MODES, (n,), generator=gen)
    ang = idx.float() * (2 * math.pi / N_MODES)
    centers = torch.stack([torch.cos(ang), torch.sin(ang)], 1) * RADIUS
    return centers + STD * torch.randn(n, 2, generator=gen)


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(Z_DIM, 64), nn.ReLU(),
            nn.Linear(64, 64), nn.ReLU(),
            nn.Linear(64, 2),
        )

    def forward(self, z):
        return self.net(z)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(2, 64), nn.LeakyReLU(0.2),
            nn.Linear(64, 64), nn.LeakyReLU(0.2),
            nn.Linear(64, 1),
        )

    def forward(self, x):
        return self.net(x).squeeze(1)


def mmd_rbf(a, b, sigmas=(0.1, 0.5, 2.0)):
    xx, yy, xy = a @ a.t(), b @ b.t(), a @ b.t()
    ra, rb = xx.diag().unsqueeze(0), yy.diag().unsqueeze(0)
    daa = ra.t() + ra - 2 * xx
    dbb = rb.t() + rb - 2 * yy
    dab = ra.t() + rb - 2 * xy
    out = 0.0
    for s in sigmas:
        out += torch.exp(-daa / (2 * s * s)).mean() + torch.exp(-dbb / (2 * s * s)).mean() \
            - 2 * torch.exp(-dab / (2 * s * s)).mean()
    return out.item()


def quality(fake):
    ang = torch.arange(N_MODES).float() * (2 * math.pi / N_MODES)
    centers = torch.stack([torch.cos(ang), torch.sin(ang)], 1) * RADIUS
    d = torch.cdist(fake, centers)
    mind, which = d.min(1)
    good = mind < 3 * STD
    # a mode counts as covered if it receives at least 20% of its fair share of good samples
    covered = sum(int((which[good] == k).sum() > 0.2 * len(fake) / N_MODES) for k in range(N_MODES))
    return good.float().mean().item(), covered


G, D = Generator(), Discriminator()
opt_g = torch.optim.Adam(G.parameters(), lr=2e-3, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr=2e-3, betas=(0.5, 0.999))
sched_g = torch.optim.lr_scheduler.StepLR(opt_g, step_size=400, gamma=0.5)
sched_d = torch.optim.lr_scheduler.StepLR(opt_d, step_size=400, gamma=0.5)
G_ema = copy.deepcopy(G).requires_grad_(False)
EMA_DECAY = 0.99

heldout = sample_real(2000, torch.Generator().manual_seed(123))
with torch.no_grad():
    mmd0 = mmd_rbf(G(torch.randn(2000, Z_DIM)), heldout)

for step in range(1, STEPS + 1):
    real = sample_real(BATCH)
    z = torch.randn(BATCH, Z_DIM)
    fake = G(z)

    d_real, d_fake = D(real), D(fake.detach())
    loss_d = F.binary_cross_entropy_with_logits(d_real, torch.ones_like(d_real)) + \
        F.binary_cross_entropy_with_logits(d_fake, torch.zeros_like(d_fake))
    opt_d.zero_grad()
    loss_d.backward()
    opt_d.step()

    d_gen = D(fake)
    loss_g = F.binary_cross_entropy_with_logits(d_gen, torch.ones_like(d_gen))
    opt_g.zero_grad()
    loss_g.backward()
    opt_g.step()
    sched_g.step()
    sched_d.step()
    with torch.no_grad():
        for pe, p in zip(G_ema.parameters(), G.parameters()):
            pe.lerp_(p, 1 - EMA_DECAY)

    if step % 200 == 0:
        with torch.no_grad():
            smp = G_ema(torch.randn(2000, Z_DIM))
            hq, cov = quality(smp)
            print(f"step {step:5d}  loss_d {loss_d.item():.3f}  loss_g {loss_g.item():.3f}  "
                  f"hq {hq:.3f}  modes {cov}/{N_MODES}  mmd {mmd_rbf(smp, heldout):.4f}")

G_ema.eval()
with torch.no_grad():
    smp = G_ema(torch.randn(2000, Z_DIM, generator=torch.Generator().manual_seed(7)))
    hq, cov = quality(smp)
    mmd = mmd_rbf(smp, heldout)
print(f"untrained G mmd {mmd0:.3f} -> trained {mmd:.4f}")
print("CORPUS_METRIC " + json.dumps({
    "g_loss": round(loss_g.item(), 4), "d_loss": round(loss_d.item(), 4),
    "val_mmd": round(mmd, 5), "val_mmd_untrained": round(mmd0, 4),
    "high_quality_frac": round(hq, 4), "modes_covered": cov, "n_modes": N_MODES,
}))
