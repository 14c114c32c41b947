"""Vanilla (non-saturating) GAN on a ring of 8 Gaussians.

Two Adam optimisers, one D step then one G step per iteration. The D loss hovers
around 2*ln2 ~ 1.2-1.4 and the G loss wobbles around 0.7-1.0 by design (it is a game,
not a minimisation); what matters is whether samples cover the 8 modes.
"""
# expect:
# allow:
# forbid: *
# evidence: losses oscillate with no downward trend (D 1.20-1.34, G 0.80-0.97 per 50-step epoch) yet final samples cover 8/8 modes, high-quality fraction 0.815, energy distance to held-out real 0.0050 vs 1.371 for the untrained G
# native-log: gan_losses.csv
# log-expect:
# log-allow:
import os, sys, json, math, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

ANG = torch.arange(8) * (2 * math.pi / 8)
CENTERS = torch.stack([2 * torch.cos(ANG), 2 * torch.sin(ANG)], 1)
STD = 0.05

def sample_real(n, g=None):
    idx = torch.randint(0, 8, (n,), generator=g)
    return CENTERS[idx] + STD * torch.randn(n, 2, generator=g)

ZDIM = 8
G = nn.Sequential(nn.Linear(ZDIM, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
D = nn.Sequential(nn.Linear(2, 64), nn.LeakyReLU(0.2), nn.Linear(64, 64), nn.LeakyReLU(0.2), nn.Linear(64, 1))
optG = torch.optim.Adam(G.parameters(), lr=2e-3, betas=(0.5, 0.999))
optD = torch.optim.Adam(D.parameters(), lr=2e-3, betas=(0.5, 0.999))

gheld = torch.Generator().manual_seed(123)
held_out = sample_real(2000, gheld)

def energy_distance(a, b):
    return (2 * torch.cdist(a, b).mean() - torch.cdist(a, a).mean() - torch.cdist(b, b).mean()).item()

@torch.no_grad()
def evaluate():
    z = torch.randn(2000, ZDIM, generator=torch.Generator().manual_seed(7))
    x = G(z)
    d = torch.cdist(x, CENTERS)
    dmin, arg = d.min(1)
    good = dmin < 4 * STD
    counts = torch.bincount(arg[good], minlength=8)
    covered = int((counts >= 0.25 * 2000 / 8 * 0.25).sum())  # >= ~1.5% of samples near a mode
    return covered, good.float().mean().item(), energy_distance(x, held_out)

init_cov, init_hq, init_ed = evaluate()
print(f"untrained G: modes={init_cov} hq={init_hq:.3f} energy_dist={init_ed:.4f}")

f = open(os.path.join(LOG_DIR, "gan_losses.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["epoch", "step", "d_loss", "g_loss", "d_real", "d_fake"])
STEPS, BS, EVERY = 1500, 128, 50
dl_acc = gl_acc = dr_acc = df_acc = 0.0
for step in range(1, STEPS + 1):
    real = sample_real(BS)
    fake = G(torch.randn(BS, ZDIM))
    lr_ = D(real); lf_ = D(fake.detach())
    d_loss = F.binary_cross_entropy_with_logits(lr_, torch.ones_like(lr_)) + \
             F.binary_cross_entropy_with_logits(lf_, torch.zeros_like(lf_))
    optD.zero_grad(); d_loss.backward(); optD.step()
    lg = D(fake)
    g_loss = F.binary_cross_entropy_with_logits(lg, torch.ones_like(lg))
    optG.zero_grad(); g_loss.backward(); optG.step()
    dl_acc += d_loss.item(); gl_acc += g_loss.item()
    dr_acc += torch.sigmoid(lr_).mean().item(); df_acc += torch.sigmoid(lf_).mean().item()
    if step % EVERY == 0:
        ep = step // EVERY
        row = [ep, step, dl_acc / EVERY, gl_acc / EVERY, dr_acc / EVERY, df_acc / EVERY]
        w.writerow([ep, step] + [f"{v:.5f}" for v in row[2:]]); f.flush()
        if ep % 6 == 0:
            cov, hq, ed = evaluate()
            print(f"epoch {ep:3d} d_loss {row[2]:.3f} g_loss {row[3]:.3f} D(real) {row[4]:.2f} D(fake) {row[5]:.2f} | modes {cov}/8 hq {hq:.3f} ED {ed:.4f}")
        dl_acc = gl_acc = dr_acc = df_acc = 0.0
f.close()
cov, hq, ed = evaluate()
print(f"final: modes covered {cov}/8, high-quality fraction {hq:.3f}, energy distance {ed:.4f} (untrained {init_ed:.4f})")
print("CORPUS_METRIC " + json.dumps({"modes_covered": cov, "modes_total": 8, "high_quality_frac": round(hq, 4),
                                     "energy_distance": round(ed, 5), "energy_distance_untrained": round(init_ed, 5),
                                     "final_d_loss": round(row[2], 4), "final_g_loss": round(row[3], 4)}))
