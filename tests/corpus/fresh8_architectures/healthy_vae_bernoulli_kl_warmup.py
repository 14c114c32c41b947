# expect:
# allow:
# forbid: *
# evidence: val -ELBO 8.8 nats (train 8.9), val KL 5.7 nats (latents used, no collapse), val pixel acc 0.990, val_mse 0.0083 vs target_var 0.0758
# Conv VAE, Bernoulli decoder, binary 10x10 rectangle images; KL weight linearly warmed 0 -> 1 over 5 epochs
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(42)
gen = torch.Generator().manual_seed(7)

def rectangles(n):
    out = torch.zeros(n, 1, 10, 10)
    r0 = torch.randint(0, 6, (n,), generator=gen); c0 = torch.randint(0, 6, (n,), generator=gen)
    h = torch.randint(2, 5, (n,), generator=gen); w = torch.randint(2, 5, (n,), generator=gen)
    for i in range(n):
        out[i, 0, r0[i]:r0[i] + h[i], c0[i]:c0[i] + w[i]] = 1.0
    return out

train_x, val_x = rectangles(3000), rectangles(500)
latent = 4

enc = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(),
                    nn.Flatten(), nn.Linear(32 * 25, 2 * latent))
dec = nn.Sequential(nn.Linear(latent, 128), nn.ReLU(), nn.Linear(128, 256), nn.ReLU(), nn.Linear(256, 100),
                    nn.Unflatten(1, (1, 10, 10)))
params = list(enc.parameters()) + list(dec.parameters())
opt = torch.optim.Adam(params, lr=2e-3)

def elbo_parts(x, stochastic=True):
    mu, logvar = enc(x).chunk(2, dim=1)
    z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar) if stochastic else mu
    logits = dec(z)
    rec = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / x.shape[0]
    kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp()) / x.shape[0]
    return rec, kl, logits

EPOCHS, BATCH, WARM = 12, 64, 4
n_batches = (len(train_x) + BATCH - 1) // BATCH
it = 0
for epoch in range(EPOCHS):
    perm = torch.randperm(len(train_x))
    tr_rec = tr_kl = 0.0
    for b in range(n_batches):
        xb = train_x[perm[b * BATCH:(b + 1) * BATCH]]
        beta = min(1.0, it / (WARM * n_batches))
        rec, kl, _ = elbo_parts(xb)
        loss = rec + beta * kl
        opt.zero_grad(); loss.backward(); opt.step(); it += 1
        tr_rec += rec.item() / n_batches; tr_kl += kl.item() / n_batches
    with torch.no_grad():
        v_rec, v_kl, _ = elbo_parts(val_x)
    print(f"epoch {epoch:2d} beta {beta:.2f} | train rec {tr_rec:6.2f} kl {tr_kl:5.2f} | val rec {v_rec.item():6.2f} kl {v_kl.item():5.2f} | val -elbo {v_rec.item() + v_kl.item():6.2f}")

with torch.no_grad():
    v_rec, v_kl, v_logits = elbo_parts(val_x, stochastic=False)
    t_rec, t_kl, _ = elbo_parts(train_x, stochastic=False)
    v_mse = F.mse_loss(torch.sigmoid(v_logits), val_x).item()
    pix_acc = ((v_logits > 0).float() == val_x).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(v_rec.item() + v_kl.item(), 3), "train_loss": round(t_rec.item() + t_kl.item(), 3),
                                      "val_mse": round(v_mse, 5), "target_var": round(val_x.var(0).mean().item(), 5),
                                      "val_pixel_acc": round(pix_acc, 4), "val_kl": round(v_kl.item(), 3)}))
