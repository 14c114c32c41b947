# expect:
# allow:
# forbid: *
# evidence: held-out negative ELBO (beta=1) 30.6 nats/image vs 43.8 for an independent-pixel Bernoulli model (noise floor ~21); KL settles at 7.7 nats (no posterior collapse); train 29.5 vs val 30.6; objective flat during warm-up (beta rising) then falls
"""Healthy: a small VAE (Bernoulli decoder) trained on the ELBO with a linear KL warm-up.

Data: 10x10 binary "glyphs": 12 stroke prototypes, randomly shifted by up to 1 pixel, with 4% of
pixels flipped.  Encoder 100-128-(mu, logvar) with an 8-d latent, decoder 8-128-100 logits.
Loss per image = BCE-with-logits summed over pixels + beta * KL(q(z|x) || N(0, I)), beta rising
linearly 0 -> 1 over the first 8 epochs; Adam lr=2e-3, 25 epochs.  The logged loss is the
warm-up objective; the metric is the full (beta = 1) negative ELBO on held-out images, in nats per
image.  Reference: an independent-pixel Bernoulli model fitted to the train set.
"""
import json
import torch, torch.nn as nn, torch.nn.functional as F

torch.set_num_threads(1); torch.manual_seed(0)
P, Z = 10, 8
gp = torch.Generator().manual_seed(7)
protos = torch.zeros(12, P, P)
for k in range(12):
    for _ in range(3):
        if torch.rand(1, generator=gp) < 0.5:
            r = int(torch.randint(1, P - 1, (1,), generator=gp)); a, b = sorted(torch.randint(0, P, (2,), generator=gp).tolist()); protos[k, r, a:b + 2] = 1
        else:
            c = int(torch.randint(1, P - 1, (1,), generator=gp)); a, b = sorted(torch.randint(0, P, (2,), generator=gp).tolist()); protos[k, a:b + 2, c] = 1

def make(n, g):
    k = torch.randint(0, 12, (n,), generator=g); X = protos[k]
    sh = torch.randint(-1, 2, (n, 2), generator=g)
    X = torch.stack([torch.roll(X[i], tuple(sh[i].tolist()), (0, 1)) for i in range(n)])
    flip = torch.rand(X.shape, generator=g) < 0.04
    return torch.where(flip, 1 - X, X).flatten(1)

g = torch.Generator().manual_seed(1)
xtr = make(5000, g); xva = make(1000, g)

class VAE(nn.Module):
    def __init__(s):
        super().__init__(); s.enc = nn.Sequential(nn.Linear(P * P, 128), nn.ReLU()); s.mu = nn.Linear(128, Z); s.lv = nn.Linear(128, Z)
        s.dec = nn.Sequential(nn.Linear(Z, 128), nn.ReLU(), nn.Linear(128, P * P))
    def forward(s, x):
        h = s.enc(x); mu, lv = s.mu(h), s.lv(h); z = mu + torch.randn_like(mu) * (0.5 * lv).exp()
        return s.dec(z), mu, lv

def terms(model, x):
    lo, mu, lv = model(x)
    rec = F.binary_cross_entropy_with_logits(lo, x, reduction="sum") / len(x)
    kl = (-0.5 * (1 + lv - mu.pow(2) - lv.exp()).sum(1)).mean()
    return rec, kl

m = VAE(); opt = torch.optim.Adam(m.parameters(), lr=2e-3)
WARM = 8; step = 0; spe = len(xtr) // 100
for ep in range(25):
    perm = torch.randperm(len(xtr)); tot = 0.0
    for i in range(spe):
        beta = min(1.0, step / (WARM * spe)); rec, kl = terms(m, xtr[perm[i * 100:(i + 1) * 100]])
        loss = rec + beta * kl; opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item(); step += 1
    with torch.no_grad(): vr, vk = terms(m, xva)
    print(f"epoch {ep+1} beta {beta:.2f} objective {tot/spe:.3f} val_rec {float(vr):.3f} val_kl {float(vk):.3f} val_neg_elbo {float(vr + vk):.3f}")
with torch.no_grad(): tr_, tk = terms(m, xtr)
p = xtr.mean(0).clamp(1e-3, 1 - 1e-3); indep = float(-(xva * p.log() + (1 - xva) * (1 - p).log()).sum(1).mean())
print("CORPUS_METRIC " + json.dumps({"val_loss": round(float(vr + vk), 4), "val_recon": round(float(vr), 4), "val_kl": round(float(vk), 4), "train_loss": round(float(tr_ + tk), 4), "independent_pixel_nll": round(indep, 4)}))
