"""A small VAE on sklearn's 8x8 digits (pixels scaled to [0,1], Bernoulli-style
BCE-with-logits reconstruction + analytic Gaussian KL). As usual the KL term rises
while reconstruction and the total (negative ELBO) fall. Logs per-epoch terms."""
# expect:
# allow:
# forbid: *
# evidence: val negative ELBO 35.3 -> 24.8 nats/image while the KL term rises 0.3 -> 2.9 (train) and recon falls 39.5 -> 21.9 (BCE floor of continuous targets); logistic probe on the 8-d posterior means val_acc 0.89 (chance 0.10); train/val ELBO equal (24.74 / 24.76)
# native-log: vae_metrics.csv
# log-expect:
# log-allow:
import os, sys, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

d = load_digits()
X = torch.tensor(d.data / 16.0, dtype=torch.float32)
y = d.target
perm = np.random.permutation(len(X))
tr, va = perm[:1400], perm[1400:]
Xtr, Xva = X[tr], X[va]


class VAE(nn.Module):
    def __init__(self, zdim=8):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 2 * zdim))
        self.dec = nn.Sequential(nn.Linear(zdim, 128), nn.ReLU(), nn.Linear(128, 64))

    def forward(self, x):
        mu, logvar = self.enc(x).chunk(2, -1)
        z = mu + torch.randn_like(mu) * (0.5 * logvar).exp()
        return self.dec(z), mu, logvar


def terms(model, x):
    logits, mu, logvar = model(x)
    rec = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / len(x)
    kl = (-0.5 * (1 + logvar - mu ** 2 - logvar.exp()).sum()) / len(x)
    return rec, kl


model = VAE()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
f = open(os.path.join(LOG_DIR, "vae_metrics.csv"), "w", newline="")
w = csv.writer(f)
w.writerow(["epoch", "train_loss", "train_recon", "train_kl", "val_loss", "val_recon", "val_kl"])
for epoch in range(40):
    model.train()
    p = torch.randperm(len(Xtr)); s = [0.0, 0.0]; n = 0
    for i in range(0, len(Xtr), 64):
        xb = Xtr[p[i:i + 64]]
        rec, kl = terms(model, xb)
        loss = rec + kl
        opt.zero_grad(); loss.backward(); opt.step()
        s[0] += rec.item() * len(xb); s[1] += kl.item() * len(xb); n += len(xb)
    model.eval()
    with torch.no_grad():
        vrec, vkl = terms(model, Xva)
    w.writerow([epoch, f"{(s[0]+s[1])/n:.4f}", f"{s[0]/n:.4f}", f"{s[1]/n:.4f}", f"{(vrec+vkl).item():.4f}", f"{vrec.item():.4f}", f"{vkl.item():.4f}"])
    if epoch % 5 == 0 or epoch == 39:
        print(f"epoch {epoch:2d} train -elbo {(s[0]+s[1])/n:.2f} (rec {s[0]/n:.2f} kl {s[1]/n:.2f})  val -elbo {(vrec+vkl).item():.2f} (rec {vrec.item():.2f} kl {vkl.item():.2f})")
f.close()
with torch.no_grad():
    mtr = model.enc(Xtr).chunk(2, -1)[0].numpy(); mva = model.enc(Xva).chunk(2, -1)[0].numpy()
probe = LogisticRegression(max_iter=2000).fit(mtr, y[tr])
acc = probe.score(mva, y[va])
print("CORPUS_METRIC " + json.dumps({"val_neg_elbo": round((vrec + vkl).item(), 3), "val_recon": round(vrec.item(), 3), "val_kl": round(vkl.item(), 3),
                                      "train_neg_elbo": round((s[0] + s[1]) / n, 3), "probe_val_acc": round(acc, 4), "chance_acc": 0.1}))
