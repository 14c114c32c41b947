# expect:
# allow:
# forbid: *
# evidence: held-out mixture NLL -1.027 (train -1.009) vs linear-Gaussian baseline -0.099; loss negative by construction
"""Mixture density network (Bishop 1994) on the classic inverse problem: predict x from
y = x + 0.3 sin(2 pi x) + noise, which is multi-valued, so a single Gaussian fails. The net
outputs 5 mixture weights, means and log-std; loss is the mixture negative log-likelihood
(logsumexp form). Because the conditional densities are narrow, the NLL goes below zero --
a negative, still-decreasing loss is normal here. RMSprop optimiser, step lr decay.
Evaluated by held-out NLL vs a single-Gaussian (homoscedastic) baseline.
"""
import json
import math

import torch
from torch import nn


def make_data(n, g):
    x = torch.rand(n, generator=g)
    y = x + 0.3 * torch.sin(2 * math.pi * x) + 0.05 * torch.randn(n, generator=g)
    return y[:, None], x  # input y, target x (the inverse direction)


class MDN(nn.Module):
    def __init__(self, k=5):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(1, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh())
        self.head = nn.Linear(64, 3 * k)

    def nll(self, inp, t):
        logit_pi, mu, log_s = self.head(self.body(inp)).chunk(3, 1)
        log_s = log_s.clamp(-7, 3)
        logp = (-0.5 * ((t[:, None] - mu) / log_s.exp()) ** 2 - log_s - 0.5 * math.log(2 * math.pi))
        return -torch.logsumexp(torch.log_softmax(logit_pi, 1) + logp, 1).mean()


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    ytr, xtr = make_data(4000, g)
    yva, xva = make_data(1500, g)
    model = MDN()
    opt = torch.optim.RMSprop(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.3)
    for epoch in range(25):
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = model.nll(ytr[idx], xtr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        sched.step()
        with torch.no_grad():
            vl = model.nll(yva, xva).item()
        print(f"epoch {epoch} nll {loss.item():.4f} val_nll {vl:.4f}")
    with torch.no_grad():
        vl, tl = model.nll(yva, xva).item(), model.nll(ytr, xtr).item()
        a = torch.linalg.lstsq(torch.cat([ytr, torch.ones_like(ytr)], 1), xtr[:, None]).solution
        res = xtr - (torch.cat([ytr, torch.ones_like(ytr)], 1) @ a).squeeze(1)
        s = res.std()
        rv = xva - (torch.cat([yva, torch.ones_like(yva)], 1) @ a).squeeze(1)
        gauss_nll = (0.5 * (rv / s) ** 2 + torch.log(s) + 0.5 * math.log(2 * math.pi)).mean().item()
    print("CORPUS_METRIC " + json.dumps({"val_nll": round(vl, 4), "train_nll": round(tl, 4),
                                         "linear_gaussian_baseline_val_nll": round(gauss_nll, 4)}))


if __name__ == "__main__":
    main()
