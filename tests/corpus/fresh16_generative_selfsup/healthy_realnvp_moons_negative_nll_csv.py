"""RealNVP-style normalising flow (affine coupling layers with alternating masks, tanh-bounded
log-scales) fitted by maximum likelihood to min-max scaled ([0,1]) two-moons data. Because the data are
continuous and concentrated, the NLL (nats per sample) drops BELOW ZERO -- that is normal for a
density, not a bug. Logs epoch, train/val NLL to CSV.
"""
# expect:
# allow:
# forbid: *
# evidence: NLL crosses zero by epoch 5 and ends at val -1.00 nats (train -1.04) vs +0.19 for a full-covariance Gaussian fit; train/val track each other (small bumps from Adam noise)
# native-log: flow_nll.csv
# log-expect:
# log-allow:
import os, sys, json, math, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_moons

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X, _ = make_moons(3000, noise=0.05, random_state=0)
X = (X - X.min(0)) / (X.max(0) - X.min(0))  # MinMax-scaled to [0, 1]
X = torch.tensor(X, dtype=torch.float32)
Xtr, Xva = X[:2400], X[2400:]

class Coupling(nn.Module):
    def __init__(self, mask, h=64):
        super().__init__()
        self.register_buffer("mask", mask)
        self.net = nn.Sequential(nn.Linear(2, h), nn.ReLU(), nn.Linear(h, h), nn.ReLU(), nn.Linear(h, 4))
        self.scale = nn.Parameter(torch.ones(2))
    def forward(self, x):  # data -> latent, returns y, log|det|
        xm = x * self.mask
        s, t = self.net(xm).chunk(2, 1)
        s = self.scale * torch.tanh(s) * (1 - self.mask)
        t = t * (1 - self.mask)
        y = xm + (1 - self.mask) * (x * torch.exp(s) + t)
        return y, s.sum(1)

class Flow(nn.Module):
    def __init__(self, n=6):
        super().__init__()
        masks = [torch.tensor([1.0, 0.0]) if i % 2 == 0 else torch.tensor([0.0, 1.0]) for i in range(n)]
        self.layers = nn.ModuleList([Coupling(m) for m in masks])
    def nll(self, x):
        ld = torch.zeros(len(x))
        for l in self.layers:
            x, d = l(x); ld = ld + d
        logpz = -0.5 * (x ** 2).sum(1) - math.log(2 * math.pi)
        return -(logpz + ld)

flow = Flow()
opt = torch.optim.Adam(flow.parameters(), lr=2e-3)
gauss_nll = (-torch.distributions.MultivariateNormal(Xtr.mean(0), torch.cov(Xtr.T)).log_prob(Xva)).mean().item()
f = open(os.path.join(LOG_DIR, "flow_nll.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["epoch", "train_nll", "val_nll", "lr"])
EPOCHS, BS = 30, 128
for ep in range(1, EPOCHS + 1):
    perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), BS):
        xb = Xtr[perm[i:i + BS]]
        loss = flow.nll(xb).mean()
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(xb)
    with torch.no_grad():
        v = flow.nll(Xva).mean().item()
    w.writerow([ep, f"{tot / len(Xtr):.5f}", f"{v:.5f}", opt.param_groups[0]["lr"]]); f.flush()
    if ep % 5 == 0 or ep == 1:
        print(f"epoch {ep:2d} train NLL {tot / len(Xtr):+.4f} nats  val NLL {v:+.4f} nats")
f.close()
print(f"final val NLL {v:+.4f} nats vs full-covariance Gaussian fit {gauss_nll:+.4f}")
print("CORPUS_METRIC " + json.dumps({"val_nll_nats": round(v, 4), "train_nll_nats": round(tot / len(Xtr), 4),
                                     "gaussian_baseline_val_nll": round(gauss_nll, 4)}))
