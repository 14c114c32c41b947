"""RealNVP-style flow (8 affine coupling layers, tanh-bounded log-scales) on standardised
concentric circles. The learning rate was copied from a GAN config (Adam lr=0.03) instead of
the usual 1e-3 for flows. --control sets lr back to 1e-3.
"""
# expect: learning_rate_too_high
# allow: exploding_gradients, non_finite, non_convergence, high_bias
# forbid: *
# evidence: planted (Adam lr=0.03) val NLL jumps around 2.64-3.02 nats epoch to epoch (grad-norm spikes to 16.7) and ends at 2.761, no better than a Gaussian fit (2.839); control (lr=1e-3) descends steadily to 2.386
# control: --control
# native-log: flow_metrics.csv
# log-expect: learning_rate_too_high
# log-allow: non_convergence, non_finite, high_bias, exploding_gradients
import os, sys, json, math, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_circles

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LR = 1e-3 if CONTROL else 3e-2
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X, _ = make_circles(3000, noise=0.04, factor=0.5, random_state=0)
X = (X - X.mean(0)) / X.std(0)
X = torch.tensor(X, dtype=torch.float32)
Xtr, Xva = X[:2400], X[2400:]

class Coupling(nn.Module):
    def __init__(self, mask, h=64):
        super().__init__()
        self.register_buffer("mask", mask)
        self.net = nn.Sequential(nn.Linear(2, h), nn.ReLU(), nn.Linear(h, h), nn.ReLU(), nn.Linear(h, 4))
        self.scale = nn.Parameter(torch.ones(2))
    def forward(self, x):
        xm = x * self.mask
        s, t = self.net(xm).chunk(2, 1)
        s = self.scale * torch.tanh(s) * (1 - self.mask)
        t = t * (1 - self.mask)
        return xm + (1 - self.mask) * (x * torch.exp(s) + t), s.sum(1)

layers = nn.ModuleList([Coupling(torch.tensor([1.0, 0.0]) if i % 2 == 0 else torch.tensor([0.0, 1.0])) for i in range(8)])
def nll(x):
    ld = torch.zeros(len(x))
    for l in layers:
        x, d = l(x); ld = ld + d
    return -(-0.5 * (x ** 2).sum(1) - math.log(2 * math.pi) + ld)

opt = torch.optim.Adam(layers.parameters(), lr=LR)
f = open(os.path.join(LOG_DIR, "flow_metrics.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["epoch", "train_nll", "val_nll", "lr", "grad_norm"])
EPOCHS, BS = 25, 128
for ep in range(1, EPOCHS + 1):
    perm = torch.randperm(len(Xtr)); tot = 0.0; gmax = 0.0
    for i in range(0, len(Xtr), BS):
        xb = Xtr[perm[i:i + BS]]
        loss = nll(xb).mean()
        opt.zero_grad(); loss.backward()
        gn = torch.norm(torch.stack([p.grad.norm() for p in layers.parameters() if p.grad is not None])).item()
        gmax = max(gmax, gn)
        opt.step()
        tot += loss.item() * len(xb)
    with torch.no_grad():
        v = nll(Xva).mean().item()
    w.writerow([ep, f"{tot / len(Xtr):.5f}", f"{v:.5f}", LR, f"{gmax:.4f}"]); f.flush()
    print(f"epoch {ep:2d} lr {LR:g} train NLL {tot / len(Xtr):+.4f}  val NLL {v:+.4f}  max grad-norm {gmax:.2f}")
gauss = (-torch.distributions.MultivariateNormal(Xtr.mean(0), torch.cov(Xtr.T)).log_prob(Xva)).mean().item()
vv = v if math.isfinite(v) else None
print(f"final val NLL {v:+.4f} nats vs Gaussian fit {gauss:+.4f}")
print("CORPUS_METRIC " + json.dumps({"val_nll_nats": None if vv is None else round(vv, 4), "train_nll_nats": round(tot / len(Xtr), 4) if math.isfinite(tot) else None,
                                     "gaussian_baseline_val_nll": round(gauss, 4), "lr": LR}))
