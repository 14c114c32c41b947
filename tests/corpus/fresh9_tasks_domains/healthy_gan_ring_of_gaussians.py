# expect:
# allow:
# forbid: *
# evidence: after 1500 steps: 8/8 modes covered, 57% of samples within 3 std of a mode (18% at step 900, 2% at step 300), MMD to held-out real points 0.027 (0.117 at step 300); D loss ~1.2, G loss ~0.9 (equilibrium, not zero)
# Vanilla (non-saturating) GAN on 2-D points: a ring of 8 Gaussians (std 0.05, radius 2).
# Healthy GAN losses hover near equilibrium (D ~ 1.2-1.4, G ~ 0.7-1.0) and never go to zero;
# quality is judged by a sample probe: modes covered, fraction of "high-quality" samples
# (within 3 std of some mode) and an MMD to held-out real points.
import json
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
MODES = torch.tensor([[2 * math.cos(2 * math.pi * k / 8), 2 * math.sin(2 * math.pi * k / 8)] for k in range(8)])
STD = 0.05


def real_batch(n, g=None):
    idx = torch.randint(0, 8, (n,), generator=g)
    return MODES[idx] + STD * torch.randn(n, 2, generator=g)


Z = 8
G = nn.Sequential(nn.Linear(Z, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
D = nn.Sequential(nn.Linear(2, 64), nn.LeakyReLU(0.2), nn.Linear(64, 64), nn.LeakyReLU(0.2), nn.Linear(64, 1))
opt_g = torch.optim.Adam(G.parameters(), lr=1e-3, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.5, 0.999))
ones, zeros = torch.ones(128, 1), torch.zeros(128, 1)


def probe(n=1000):
    with torch.no_grad():
        s = G(torch.randn(n, Z))
    d = torch.cdist(s, MODES)
    nearest, which = d.min(1)
    good = nearest < 3 * STD
    covered = int(torch.bincount(which[good], minlength=8).gt(n * 0.02).sum())
    real = real_batch(n, torch.Generator().manual_seed(123))
    def k(a, b):
        return torch.exp(-torch.cdist(a, b) ** 2 / (2 * 0.2 ** 2)).mean()
    mmd = (k(s, s) + k(real, real) - 2 * k(s, real)).item()
    return good.float().mean().item(), covered, mmd


for step in range(1, 1501):
    x = real_batch(128)
    fake = G(torch.randn(128, Z))
    d_loss = F.binary_cross_entropy_with_logits(D(x), ones) + F.binary_cross_entropy_with_logits(D(fake.detach()), zeros)
    opt_d.zero_grad()
    d_loss.backward()
    opt_d.step()
    g_loss = F.binary_cross_entropy_with_logits(D(fake), ones)
    opt_g.zero_grad()
    g_loss.backward()
    opt_g.step()
    if step % 300 == 0:
        hq, cov, mmd = probe()
        print(f"step {step}: d_loss {d_loss.item():.3f} g_loss {g_loss.item():.3f} | high-quality {hq:.3f} modes {cov}/8 mmd {mmd:.4f}")

hq, cov, mmd = probe(2000)
print("CORPUS_METRIC " + json.dumps({"d_loss": round(d_loss.item(), 4), "g_loss": round(g_loss.item(), 4),
                                      "high_quality_frac": round(hq, 4), "modes_covered": cov, "n_modes": 8,
                                      "val_mmd": round(mmd, 5)}))
