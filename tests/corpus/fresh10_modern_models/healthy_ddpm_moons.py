# expect:
# allow:
# forbid: *
# evidence: MLP eps-predictor, T=100 linear betas (abar_T 0.006), AdamW 2e-3 cosine, 1200 steps, EMA 0.995; held-out denoising val_eps_mse 0.35 vs 1.0 for predicting zero (train 0.35, no gap); EMA samples land 0.13 from held-out points on average vs 0.28 for Gaussian noise
"""Toy DDPM on 2-D two-moons points: MLP epsilon-predictor with sinusoidal timestep embedding, linear beta
schedule (T=100), AdamW + cosine, EMA of weights for sampling; evaluated by held-out denoising MSE and by how
close ancestral samples land to held-out data."""
import argparse, copy, json, math
from dataclasses import dataclass
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_moons

torch.set_num_threads(1)


@dataclass
class DiffusionConfig:
    T: int = 100
    beta_start: float = 1e-4
    beta_end: float = 0.1
    hidden: int = 128
    lr: float = 2e-3
    steps: int = 1200
    batch: int = 256
    ema: float = 0.995
    seed: int = 0


def timestep_embedding(t, dim=32):
    half = dim // 2
    freqs = torch.exp(-math.log(1000.0) * torch.arange(half) / half)
    a = t.float()[:, None] * freqs[None]
    return torch.cat([a.sin(), a.cos()], 1)


class EpsNet(nn.Module):
    def __init__(self, h):
        super().__init__()
        self.t_mlp = nn.Sequential(nn.Linear(32, h), nn.SiLU())
        self.inp = nn.Linear(2, h)
        self.net = nn.Sequential(nn.SiLU(), nn.Linear(h, h), nn.SiLU(), nn.Linear(h, h), nn.SiLU(), nn.Linear(h, 2))

    def forward(self, x, t):
        return self.net(self.inp(x) + self.t_mlp(timestep_embedding(t)))


class DDPM:
    def __init__(self, c):
        self.T = c.T
        self.betas = torch.linspace(c.beta_start, c.beta_end, c.T)
        self.alphas = 1 - self.betas
        self.abar = torch.cumprod(self.alphas, 0)

    def q_sample(self, x0, t, eps):
        ab = self.abar[t][:, None]
        return ab.sqrt() * x0 + (1 - ab).sqrt() * eps

    @torch.no_grad()
    def sample(self, model, n, gen):
        x = torch.randn(n, 2, generator=gen)
        for t in reversed(range(self.T)):
            tt = torch.full((n,), t)
            eps = model(x, tt)
            mean = (x - self.betas[t] / (1 - self.abar[t]).sqrt() * eps) / self.alphas[t].sqrt()
            x = mean + (self.betas[t].sqrt() * torch.randn(n, 2, generator=gen) if t > 0 else 0)
        return x


def nn_dist(a, b):
    return torch.cdist(a, b).min(1).values.mean().item()


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); a = ap.parse_args()
    c = DiffusionConfig()
    torch.manual_seed(c.seed)
    Xtr, _ = make_moons(4000, noise=0.05, random_state=0); Xva, _ = make_moons(1000, noise=0.05, random_state=1)
    mu, sd = Xtr.mean(0), Xtr.std(0)
    Xtr = torch.tensor((Xtr - mu) / sd, dtype=torch.float32); Xva = torch.tensor((Xva - mu) / sd, dtype=torch.float32)
    diff = DDPM(c)
    print(f"abar[T-1] = {diff.abar[-1]:.4f} (should be ~0)")
    model = EpsNet(c.hidden); ema = copy.deepcopy(model).requires_grad_(False)
    opt = torch.optim.AdamW(model.parameters(), lr=c.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, c.steps)
    g = torch.Generator().manual_seed(123)
    tv = torch.randint(0, c.T, (len(Xva),), generator=g); ev = torch.randn(len(Xva), 2, generator=g)
    for step in range(c.steps):
        x0 = Xtr[torch.randint(0, len(Xtr), (c.batch,))]
        t = torch.randint(0, c.T, (c.batch,)); eps = torch.randn_like(x0)
        loss = F.mse_loss(model(diff.q_sample(x0, t, eps), t), eps)
        opt.zero_grad(); loss.backward(); nn.utils.clip_grad_norm_(model.parameters(), 1.0); opt.step(); sched.step()
        with torch.no_grad():
            for pe, pm in zip(ema.parameters(), model.parameters()):
                pe.lerp_(pm, 1 - c.ema)
        if step % 300 == 0 or step == c.steps - 1:
            with torch.no_grad():
                vl = F.mse_loss(ema(diff.q_sample(Xva, tv, ev), tv), ev).item()
            print(f"step {step} train_eps_mse {loss.item():.4f} val_eps_mse {vl:.4f}")
    samples = diff.sample(ema, 1000, torch.Generator().manual_seed(7))
    d_model = nn_dist(samples, Xva)
    d_gauss = nn_dist(torch.randn(1000, 2, generator=torch.Generator().manual_seed(8)), Xva)
    d_data = nn_dist(Xtr[:1000], Xva)
    print("CORPUS_METRIC " + json.dumps({"val_eps_mse": round(vl, 4), "train_eps_mse": round(loss.item(), 4), "chance_eps_mse": 1.0,
                                         "sample_nn_dist": round(d_model, 4), "gaussian_nn_dist": round(d_gauss, 4), "real_data_nn_dist": round(d_data, 4)}))


if __name__ == "__main__":
    main()
