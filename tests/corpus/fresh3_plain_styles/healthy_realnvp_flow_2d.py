# expect:
# allow:
# forbid: *
# evidence: held-out NLL 1.426 nats vs full-covariance Gaussian 2.728; train NLL 1.433 (no gap)
"""A RealNVP-style normalising flow (6 affine coupling layers with alternating masks, tanh-bounded
log-scales) fit by maximum likelihood to a 2-D two-moons distribution, Adam with cosine decay.
The loss is the negative log-likelihood in nats; it is not bounded below by zero and levels
off around 1.4 (the entropy of the data), not near 0. Evaluated by held-out NLL versus a fitted
full-covariance Gaussian baseline.
"""
import json
import math

import torch
from torch import nn


def moons(n, g):
    t = torch.rand(n, generator=g) * math.pi
    up = torch.rand(n, generator=g) < 0.5
    x = torch.where(up, torch.cos(t), 1 - torch.cos(t))
    y = torch.where(up, torch.sin(t), 0.5 - torch.sin(t))
    pts = torch.stack([x, y], 1) + 0.06 * torch.randn(n, 2, generator=g)
    return (pts - torch.tensor([0.5, 0.25])) / torch.tensor([0.87, 0.5])


class Coupling(nn.Module):
    def __init__(self, mask):
        super().__init__()
        self.register_buffer("mask", mask)
        self.net = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 4))
        nn.init.zeros_(self.net[-1].weight)
        nn.init.zeros_(self.net[-1].bias)

    def forward(self, x):
        xm = x * self.mask
        s, t = self.net(xm).chunk(2, 1)
        s = torch.tanh(s) * (1 - self.mask)
        t = t * (1 - self.mask)
        return xm + (1 - self.mask) * (x * torch.exp(s) + t), s.sum(1)


class Flow(nn.Module):
    def __init__(self, n=6):
        super().__init__()
        self.layers = nn.ModuleList([Coupling(torch.tensor([1.0, 0.0]) if i % 2 == 0 else torch.tensor([0.0, 1.0]))
                                     for i in range(n)])

    def log_prob(self, x):
        logdet = torch.zeros(len(x))
        for layer in self.layers:
            x, ld = layer(x)
            logdet = logdet + ld
        return -0.5 * (x ** 2).sum(1) - math.log(2 * math.pi) + logdet


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    xtr, xva = moons(4000, g), moons(2000, g)
    flow = Flow()
    steps = 1000
    opt = torch.optim.Adam(flow.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps)
    for step in range(steps):
        idx = torch.randint(0, len(xtr), (128,), generator=g)
        loss = -flow.log_prob(xtr[idx]).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 100 == 0:
            with torch.no_grad():
                print(f"step {step} nll {loss.item():.4f} val_nll {-flow.log_prob(xva).mean().item():.4f}")
    with torch.no_grad():
        vn = -flow.log_prob(xva).mean().item()
        tn = -flow.log_prob(xtr).mean().item()
        gauss = torch.distributions.MultivariateNormal(xtr.mean(0), torch.cov(xtr.T))
        gn = -gauss.log_prob(xva).mean().item()
    print("CORPUS_METRIC " + json.dumps({"val_nll": round(vn, 4), "train_nll": round(tn, 4),
                                         "gaussian_baseline_val_nll": round(gn, 4)}))


if __name__ == "__main__":
    main()
