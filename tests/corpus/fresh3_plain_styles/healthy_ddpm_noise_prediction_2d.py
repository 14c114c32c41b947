# expect:
# allow:
# forbid: *
# evidence: held-out eps-MSE 0.446 (predicting zero: 1.0); 79% of 2000 ancestral samples land within 0.3 of a mode (real data 98.8%); train loss plateaus ~0.4 by design
"""A toy DDPM on 2-D data (mixture of 8 Gaussians on a ring): an MLP with a sinusoidal timestep
embedding predicts the added noise, loss = MSE(eps_hat, eps) over uniformly sampled timesteps
(T=100, linear beta schedule), AdamW. The noise-prediction loss never approaches zero -- at high
t the noise is not identifiable -- and it is noisy from batch to batch; it levels off around
0.4-0.45 while the model is perfectly fine. Evaluated by held-out denoising MSE (vs 1.0 for
predicting zero) and by sampling 2000 points with ancestral sampling and measuring the fraction
that land within 0.3 of one of the 8 modes.
"""
import json
import math

import torch
from torch import nn
from torch.nn import functional as F


def ring(n, g):
    k = torch.randint(0, 8, (n,), generator=g).float()
    c = torch.stack([torch.cos(k * math.pi / 4), torch.sin(k * math.pi / 4)], 1) * 2
    return c + 0.1 * torch.randn(n, 2, generator=g)


class EpsNet(nn.Module):
    def __init__(self, T):
        super().__init__()
        self.T = T
        self.net = nn.Sequential(nn.Linear(2 + 16, 128), nn.SiLU(), nn.Linear(128, 128), nn.SiLU(),
                                 nn.Linear(128, 128), nn.SiLU(), nn.Linear(128, 2))

    def forward(self, x, t):
        freqs = torch.exp(torch.arange(8) * -math.log(1000) / 8)
        ang = (t.float()[:, None] / self.T * 1000) * freqs[None] / 10
        return self.net(torch.cat([x, torch.sin(ang), torch.cos(ang)], 1))


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    T = 100
    betas = torch.linspace(1e-4, 0.05, T)
    alphas = 1 - betas
    abar = torch.cumprod(alphas, 0)
    xtr, xva = ring(8000, g), ring(2000, g)
    model = EpsNet(T)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    steps = 2500
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps)

    def noisy(x, gen):
        t = torch.randint(0, T, (len(x),), generator=gen)
        eps = torch.randn(x.shape, generator=gen)
        a = abar[t][:, None]
        return a.sqrt() * x + (1 - a).sqrt() * eps, t, eps

    gv = torch.Generator().manual_seed(1)
    xv_t, tv, ev = noisy(xva, gv)
    for step in range(steps):
        idx = torch.randint(0, len(xtr), (256,), generator=g)
        xt, t, eps = noisy(xtr[idx], g)
        loss = F.mse_loss(model(xt, t), eps)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 250 == 0:
            with torch.no_grad():
                print(f"step {step} loss {loss.item():.4f} val_eps_mse {F.mse_loss(model(xv_t, tv), ev).item():.4f}")
    with torch.no_grad():
        val_mse = F.mse_loss(model(xv_t, tv), ev).item()
        x = torch.randn(2000, 2, generator=g)
        for t in reversed(range(T)):
            tt = torch.full((2000,), t)
            eps_hat = model(x, tt)
            x = (x - betas[t] / (1 - abar[t]).sqrt() * eps_hat) / alphas[t].sqrt()
            if t > 0:
                x = x + betas[t].sqrt() * torch.randn(x.shape, generator=g)
        k = torch.arange(8).float()
        modes = torch.stack([torch.cos(k * math.pi / 4), torch.sin(k * math.pi / 4)], 1) * 2
        near = (torch.cdist(x, modes).min(1).values < 0.3).float().mean().item()
    print("CORPUS_METRIC " + json.dumps({"val_eps_mse": round(val_mse, 4), "predict_zero_eps_mse": 1.0,
                                         "sample_frac_near_modes": round(near, 4),
                                         "real_data_frac_near_modes": round((torch.cdist(xva, modes).min(1).values < 0.3).float().mean().item(), 4)}))


if __name__ == "__main__":
    main()
