# expect:
# allow:
# forbid: *
# evidence: EMA model val eps-MSE 0.242 (predict-zero baseline = target_var 1.0), train 0.246; 92.5% of 100-step ancestral samples land within 3 std of a mode (N(0,I): 10%)
# Tiny DDPM-style denoiser on a 2-D 4-Gaussian mixture: MLP eps_theta(x_t, t) with sinusoidal time embedding,
# predict the added noise, MSE. EMA of weights used for evaluation.
import copy, json, math
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
g = torch.Generator().manual_seed(0)

T = 100
betas = torch.linspace(1e-4, 0.1, T)
alpha_bar = torch.cumprod(1 - betas, 0)


MODES = torch.tensor([[1.0, 1.0], [1.0, -1.0], [-1.0, 1.0], [-1.0, -1.0]])


def rings(n):  # (name kept from an earlier version) mixture of 4 Gaussians, std 0.12
    k = torch.randint(0, 4, (n,), generator=g)
    return MODES[k] + 0.12 * torch.randn(n, 2, generator=g)


def t_embed(t, dim=32):
    half = dim // 2
    freqs = torch.exp(-math.log(1000) * torch.arange(half) / half)
    a = t[:, None].float() * freqs[None]
    return torch.cat([a.sin(), a.cos()], 1)


class EpsNet(nn.Module):
    def __init__(self, h=128):
        super().__init__()
        self.t_mlp = nn.Sequential(nn.Linear(32, h), nn.SiLU())
        self.inp = nn.Linear(2, h)
        self.body = nn.Sequential(nn.SiLU(), nn.Linear(h, h), nn.SiLU(), nn.Linear(h, h), nn.SiLU(), nn.Linear(h, 2))

    def forward(self, x, t):
        return self.body(self.inp(x) + self.t_mlp(t_embed(t)))


def noise_mse(model, x0, t, eps):
    ab = alpha_bar[t][:, None]
    xt = ab.sqrt() * x0 + (1 - ab).sqrt() * eps
    return F.mse_loss(model(xt, t), eps)


data = rings(8000)
val_x0 = rings(2000)
val_t = torch.randint(0, T, (2000,), generator=g)
val_eps = torch.randn(2000, 2, generator=g)
tr_x0, tr_t, tr_eps = data[:2000], torch.randint(0, T, (2000,), generator=g), torch.randn(2000, 2, generator=g)

net = EpsNet()
ema = copy.deepcopy(net).requires_grad_(False)
opt = torch.optim.AdamW(net.parameters(), lr=2e-3)
STEPS = 1500
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, STEPS)
for step in range(1, STEPS + 1):
    idx = torch.randint(0, len(data), (128,))
    t = torch.randint(0, T, (128,))
    loss = noise_mse(net, data[idx], t, torch.randn(128, 2))
    opt.zero_grad(); loss.backward(); opt.step(); sched.step()
    with torch.no_grad():
        for pe, p in zip(ema.parameters(), net.parameters()):
            pe.lerp_(p, 0.01)
    if step % 300 == 0:
        with torch.no_grad():
            vl = noise_mse(ema, val_x0, val_t, val_eps).item()
            tl = noise_mse(ema, tr_x0, tr_t, tr_eps).item()
        print(f"step {step:5d} batch_loss {loss.item():.4f} train_eps_mse {tl:.4f} val_eps_mse {vl:.4f}")

# sample with the EMA model and check that samples land on the rings
with torch.no_grad():
    x = torch.randn(1000, 2)
    for t in reversed(range(T)):
        tt = torch.full((1000,), t)
        eps = ema(x, tt)
        x = (x - betas[t] / (1 - alpha_bar[t]).sqrt() * eps) / (1 - betas[t]).sqrt()
        if t > 0:
            x = x + betas[t].sqrt() * torch.randn_like(x)
    on_ring = (torch.cdist(x, MODES).min(1).values < 0.36).float().mean().item()  # within 3 std of a mode
    base = (torch.cdist(torch.randn(1000, 2), MODES).min(1).values < 0.36).float().mean().item()
print(f"fraction of samples within 3 std of a mode: {on_ring:.3f} (N(0,I) samples: {base:.3f})")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 4), "train_mse": round(tl, 4), "target_var": 1.0,
                                      "val_loss": round(vl, 4), "train_loss": round(tl, 4), "samples_near_mode": round(on_ring, 3)}))
