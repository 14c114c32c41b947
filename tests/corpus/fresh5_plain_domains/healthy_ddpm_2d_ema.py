# expect:
# allow:
# forbid: *
# evidence: EMA model's held-out eps-prediction MSE 0.337 (predicting 0 gives 1.0); 82% of 2000 samples land within 0.5 of one of the 8 modes and every mode gets 11.5-14.5% of them (ideal 12.5%)
"""Toy DDPM on 2-D points (mixture of 8 Gaussians on a ring): epsilon-prediction MLP with a
sinusoidal timestep embedding, 50 diffusion steps, AdamW, and cosine lr decay and an EMA copy of the weights
(torch.optim.swa_utils.AveragedModel + get_ema_multi_avg_fn) used for evaluation/sampling."""
import json
import math
import torch
import torch.nn as nn
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

torch.manual_seed(14)
torch.set_num_threads(1)

T = 50
betas = torch.linspace(1e-4, 0.2, T)
alphas = 1 - betas
abar = torch.cumprod(alphas, 0)
centers = torch.stack([torch.tensor([math.cos(2 * math.pi * k / 8), math.sin(2 * math.pi * k / 8)]) for k in range(8)]) * 2


def data(n):
    return centers[torch.randint(0, 8, (n,))] + 0.12 * torch.randn(n, 2)


def temb(t, dim=32):
    half = dim // 2
    freqs = torch.exp(-math.log(1000) * torch.arange(half) / half)
    a = t.float()[:, None] * freqs[None]
    return torch.cat([a.sin(), a.cos()], 1)


class EpsNet(nn.Module):
    def __init__(self, h=96):
        super().__init__()
        self.inp = nn.Linear(2 + 32, h)
        self.body = nn.Sequential(nn.SiLU(), nn.Linear(h, h), nn.SiLU(), nn.Linear(h, h), nn.SiLU(), nn.Linear(h, 2))

    def forward(self, x, t):
        return self.body(self.inp(torch.cat([x, temb(t)], 1)))


def diffusion_loss(net, x0):
    t = torch.randint(0, T, (x0.size(0),))
    eps = torch.randn_like(x0)
    xt = abar[t].sqrt()[:, None] * x0 + (1 - abar[t]).sqrt()[:, None] * eps
    return ((net(xt, t) - eps) ** 2).mean()


net = EpsNet()
ema = AveragedModel(net, multi_avg_fn=get_ema_multi_avg_fn(0.98))
opt = torch.optim.AdamW(net.parameters(), lr=4e-3, weight_decay=1e-4)
val_x = data(4000)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=800, eta_min=3e-4)

for step in range(1, 801):
    loss = diffusion_loss(net, data(1024))
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    ema.update_parameters(net)
    if step % 80 == 0:
        torch.manual_seed(step)
        with torch.no_grad():
            vl = diffusion_loss(ema.module, val_x).item()
        print(f"step {step} train_loss {loss.item():.4f} ema_val_loss {vl:.4f}")


@torch.no_grad()
def sample(model, n):
    x = torch.randn(n, 2)
    for t in reversed(range(T)):
        tt = torch.full((n,), t)
        eps = model(x, tt)
        x = (x - betas[t] / (1 - abar[t]).sqrt() * eps) / alphas[t].sqrt()
        if t > 0:
            x = x + betas[t].sqrt() * torch.randn_like(x)
    return x


torch.manual_seed(0)
with torch.no_grad():
    vl = diffusion_loss(ema.module, val_x).item()
    tl = diffusion_loss(ema.module, data(4000)).item()
s = sample(ema.module, 2000)
d = torch.cdist(s, centers).min(1).values
on_mode = (d < 0.5).float().mean().item()
counts = torch.bincount(torch.cdist(s, centers).argmin(1), minlength=8).float()
print(f"samples within 0.5 of a mode: {on_mode:.3f}; min/max mode share {counts.min().item()/2000:.3f}/{counts.max().item()/2000:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "train_loss": round(tl, 4), "target_var": 1.0,
                                     "sample_on_mode_frac": round(on_mode, 4),
                                     "min_mode_share": round(counts.min().item() / 2000, 4)}))
