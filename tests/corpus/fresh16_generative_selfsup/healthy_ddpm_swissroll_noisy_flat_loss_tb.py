"""Toy DDPM on a 2-D swiss roll: an MLP predicts the added noise eps from (x_t, t) with a
sinusoidal timestep embedding; loss = MSE(eps_hat, eps). The per-step loss is very noisy
(random t per sample) and looks flat after the first few hundred steps, but the ancestral
samples keep getting closer to the data (energy distance to held-out points printed at
checkpoints). Logs loss and lr to TensorBoard.
"""
# expect:
# allow:
# forbid: *
# evidence: mean train loss only drifts 0.66 -> 0.59 (noisy per-step, flat-looking) while sample energy distance to held-out data falls 1.553 (untrained) -> 0.034 (step 500) -> 0.025 -> 0.0185 (real-vs-real 0.0044); val noise-MSE 0.627 vs predict-zero 1.0
# native-log: tb
# log-expect:
# log-allow:
import os, sys, json, math, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_swiss_roll
from torch.utils.tensorboard import SummaryWriter

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

def roll(n, seed):
    x, _ = make_swiss_roll(n, noise=0.3, random_state=seed)
    return torch.tensor(x[:, [0, 2]] / 5.0, dtype=torch.float32)
data, held = roll(4000, 0), roll(1000, 1)

T = 100
betas = torch.linspace(1e-4, 0.05, T)
alphas = 1 - betas
abar = torch.cumprod(alphas, 0)

def temb(t, dim=32):
    half = dim // 2
    freqs = torch.exp(-math.log(1000.0) * torch.arange(half) / half)
    a = t.float()[:, None] * freqs[None]
    return torch.cat([torch.sin(a), torch.cos(a)], 1)

class EpsNet(nn.Module):
    def __init__(self, h=96):
        super().__init__()
        self.inp = nn.Linear(2 + 32, h)
        self.body = nn.Sequential(nn.SiLU(), nn.Linear(h, h), nn.SiLU(), nn.Linear(h, h), nn.SiLU(), nn.Linear(h, 2))
    def forward(self, x, t):
        return self.body(self.inp(torch.cat([x, temb(t)], 1)))

net = EpsNet()
opt = torch.optim.Adam(net.parameters(), lr=2e-3)
STEPS, BS = 1500, 128
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, STEPS, eta_min=2e-4)
tb = SummaryWriter(os.path.join(LOG_DIR, "tb"))

def energy_distance(a, b):
    return (2 * torch.cdist(a, b).mean() - torch.cdist(a, a).mean() - torch.cdist(b, b).mean()).item()

@torch.no_grad()
def sample(n=500, seed=11):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 2, generator=g)
    for t in reversed(range(T)):
        tt = torch.full((n,), t)
        eps = net(x, tt)
        x = (x - betas[t] / torch.sqrt(1 - abar[t]) * eps) / torch.sqrt(alphas[t])
        if t > 0:
            x = x + torch.sqrt(betas[t]) * torch.randn(n, 2, generator=g)
    return x

ed0 = energy_distance(sample(), held)
print(f"step    0 sample energy distance {ed0:.4f}")
run = 0.0
for step in range(1, STEPS + 1):
    x0 = data[torch.randint(0, len(data), (BS,))]
    t = torch.randint(0, T, (BS,))
    eps = torch.randn_like(x0)
    xt = abar[t].sqrt()[:, None] * x0 + (1 - abar[t]).sqrt()[:, None] * eps
    loss = F.mse_loss(net(xt, t), eps)
    opt.zero_grad(); loss.backward(); opt.step(); sched.step()
    tb.add_scalar("train/loss", loss.item(), step)
    tb.add_scalar("train/lr", opt.param_groups[0]["lr"], step)
    run += loss.item()
    if step % 250 == 0:
        msg = f"step {step:4d} mean loss(last 250) {run / 250:.4f}"
        run = 0.0
        if step % 500 == 0:
            ed = energy_distance(sample(), held)
            tb.add_scalar("eval/sample_energy_distance", ed, step)
            msg += f" | sample energy distance {ed:.4f}"
        print(msg)
tb.close()
with torch.no_grad():
    g = torch.Generator().manual_seed(5)
    t = torch.randint(0, T, (len(held),), generator=g)
    eps = torch.randn(len(held), 2, generator=g)
    xt = abar[t].sqrt()[:, None] * held + (1 - abar[t]).sqrt()[:, None] * eps
    val_loss = F.mse_loss(net(xt, t), eps).item()
ed = energy_distance(sample(), held)
ref = energy_distance(roll(500, 2), held)
print(f"final: val noise-MSE {val_loss:.4f} (predict-zero baseline 1.0); sample energy distance {ed:.4f} (untrained {ed0:.4f}, fresh real sample {ref:.4f})")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "baseline_val_loss": 1.0, "sample_energy_distance": round(ed, 5),
                                     "untrained_energy_distance": round(ed0, 5), "real_vs_real_energy_distance": round(ref, 5)}))
