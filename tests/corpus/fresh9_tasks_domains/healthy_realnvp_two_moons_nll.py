# expect:
# allow:
# forbid: *
# evidence: held-out NLL 1.555 nats vs 2.739 for the best single Gaussian; train NLL 1.556 (no gap), still decreasing at the end of the cosine schedule
"""Small RealNVP (6 affine coupling layers with alternating masks) fit by maximum likelihood
to 2-D two-moons data. Loss = mean negative log-likelihood (nats). Baseline: the NLL of the best
single full-covariance Gaussian fitted to the training set."""
import json
import math
import torch
import torch.nn as nn

torch.manual_seed(3)
torch.set_num_threads(1)


def two_moons(n, gen):
    t = math.pi * torch.rand(n, generator=gen)
    upper = torch.rand(n, generator=gen) < 0.5
    x = torch.where(upper, torch.cos(t), 1 - torch.cos(t))
    y = torch.where(upper, torch.sin(t), 0.5 - torch.sin(t))
    pts = torch.stack([x, y], 1) + 0.06 * torch.randn(n, 2, generator=gen)
    return (pts - torch.tensor([0.5, 0.25])) / torch.tensor([0.87, 0.5])


g = torch.Generator().manual_seed(0)
train_x, val_x = two_moons(4000, g), two_moons(1000, g)


class Coupling(nn.Module):
    def __init__(self, mask):
        super().__init__()
        self.register_buffer("mask", mask)
        self.net = nn.Sequential(nn.Linear(2, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 4))
        nn.init.zeros_(self.net[-1].weight)
        nn.init.zeros_(self.net[-1].bias)

    def forward(self, x):
        xm = x * self.mask
        s, t = self.net(xm).chunk(2, dim=1)
        s = torch.tanh(s) * (1 - self.mask)
        t = t * (1 - self.mask)
        y = xm + (1 - self.mask) * (x * torch.exp(s) + t)
        return y, s.sum(1)


class RealNVP(nn.Module):
    def __init__(self, n_layers=6):
        super().__init__()
        masks = [torch.tensor([1.0, 0.0]) if i % 2 == 0 else torch.tensor([0.0, 1.0]) for i in range(n_layers)]
        self.layers = nn.ModuleList(Coupling(m) for m in masks)

    def nll(self, x):
        logdet = torch.zeros(len(x))
        for layer in self.layers:
            x, ld = layer(x)
            logdet = logdet + ld
        log_pz = -0.5 * (x ** 2).sum(1) - math.log(2 * math.pi)
        return -(log_pz + logdet).mean()


flow = RealNVP()
opt = torch.optim.Adam(flow.parameters(), lr=5e-3)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20)

mu, cov = train_x.mean(0), torch.cov(train_x.T)
gauss = torch.distributions.MultivariateNormal(mu, cov)
gauss_nll = -gauss.log_prob(val_x).mean().item()
print(f"single-Gaussian baseline val NLL {gauss_nll:.4f}")

for epoch in range(20):
    perm = torch.randperm(len(train_x))
    for i in range(0, len(perm), 160):
        loss = flow.nll(train_x[perm[i:i + 160]])
        opt.zero_grad()
        loss.backward()
        opt.step()
    sched.step()
    with torch.no_grad():
        v = flow.nll(val_x).item()
        tr = flow.nll(train_x).item()
    if epoch % 4 == 3:
        print(f"epoch {epoch + 1}: train NLL {tr:.4f} val NLL {v:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(v, 4), "train_loss": round(tr, 4), "val_nll": round(v, 4),
                                      "gaussian_baseline_val_nll": round(gauss_nll, 4)}))
