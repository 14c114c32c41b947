"""Odd training loops, each a few seeded steps: gradient accumulation, two optimisers (GAN), LR
schedulers, AMP autocast (CPU bfloat16) with GradScaler, a fresh optimiser every epoch, a closure
optimiser (LBFGS) and a manual SGD loop without any optimiser. Saves weights and losses to argv[1]."""
import sys

import torch
from torch import nn
import torch.nn.functional as F

torch.set_num_threads(1)
results = {}


def save(name, losses, *models):
    results[name] = {"state": {f"{i}.{k}": v.clone() for i, m in enumerate(models)
                               for k, v in m.state_dict().items()},
                     "losses": torch.stack([torch.as_tensor(x).float() for x in losses])}
    print("ok", name, flush=True)


def mlp(d_in=6, d_out=3):
    return nn.Sequential(nn.Linear(d_in, 16), nn.ReLU(), nn.Linear(16, d_out))


# two optimisers, GAN-style: the discriminator steps first, then the generator
torch.manual_seed(0)
G, D = mlp(4, 6), mlp(6, 1)
opt_g = torch.optim.Adam(G.parameters(), lr=2e-3, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr=2e-3, betas=(0.5, 0.999))
losses = []
for _ in range(6):
    real, z = torch.randn(8, 6) + 2, torch.randn(8, 4)
    fake = G(z)
    opt_d.zero_grad()
    d_loss = F.binary_cross_entropy_with_logits(D(real), torch.ones(8, 1)) + \
        F.binary_cross_entropy_with_logits(D(fake.detach()), torch.zeros(8, 1))
    d_loss.backward()
    opt_d.step()
    opt_g.zero_grad()
    g_loss = F.binary_cross_entropy_with_logits(D(fake), torch.ones(8, 1))
    g_loss.backward()
    opt_g.step()
    losses += [d_loss.detach(), g_loss.detach()]
save("gan_two_optimizers", losses, G, D)

# gradient accumulation: four backwards per optimiser step
torch.manual_seed(1)
model = mlp()
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
losses = []
for step in range(4):
    opt.zero_grad()
    for micro in range(4):
        x, y = torch.randn(4, 6), torch.randint(0, 3, (4,))
        loss = F.cross_entropy(model(x), y) / 4
        loss.backward()
        losses.append(loss.detach())
    opt.step()
save("grad_accumulation", losses, model)

# LR schedulers: warmup (LambdaLR) chained with cosine, and OneCycle
torch.manual_seed(2)
model = mlp()
opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
warm = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 3))
cos = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=8)
losses = []
for step in range(8):
    x, y = torch.randn(8, 6), torch.randint(0, 3, (8,))
    opt.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
    warm.step()
    cos.step()
    losses.append(loss.detach())
save("lr_scheduler", losses, model)

# AMP: autocast to bfloat16 on the CPU, with a GradScaler
torch.manual_seed(3)
model = nn.Sequential(nn.Linear(6, 32), nn.GELU(), nn.LayerNorm(32), nn.Linear(32, 3))
opt = torch.optim.SGD(model.parameters(), lr=0.05)
scaler = torch.amp.GradScaler("cpu", init_scale=2.0 ** 8)
losses = []
for step in range(5):
    x, y = torch.randn(8, 6), torch.randint(0, 3, (8,))
    opt.zero_grad()
    with torch.autocast("cpu", dtype=torch.bfloat16):
        out = model(x)
        loss = F.cross_entropy(out, y)
    scaler.scale(loss).backward()
    scaler.unscale_(opt)
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    scaler.step(opt)
    scaler.update()
    losses.append(loss.detach())
save("amp_bf16_gradscaler", losses, model)

# a fresh optimiser every epoch (the old one is dropped)
torch.manual_seed(4)
model = mlp()
losses = []
for epoch in range(3):
    opt = torch.optim.SGD(model.parameters(), lr=0.1 / (epoch + 1))
    for step in range(3):
        x, y = torch.randn(8, 6), torch.randint(0, 3, (8,))
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.detach())
save("optimizer_per_epoch", losses, model)

# a closure optimiser: LBFGS evaluates the loss several times inside one step
torch.manual_seed(5)
model = mlp()
opt = torch.optim.LBFGS(model.parameters(), lr=0.5, max_iter=4)
x, y = torch.randn(16, 6), torch.randint(0, 3, (16,))
losses = []


def closure():
    opt.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    return loss


for step in range(3):
    losses.append(opt.step(closure).detach())
save("lbfgs_closure", losses, model)

# no optimiser at all: manual SGD on .grad
torch.manual_seed(6)
model = mlp()
losses = []
for step in range(5):
    x, y = torch.randn(8, 6), torch.randint(0, 3, (8,))
    loss = F.cross_entropy(model(x), y)
    model.zero_grad()
    loss.backward()
    with torch.no_grad():
        for p in model.parameters():
            p -= 0.1 * p.grad
    losses.append(loss.detach())
save("manual_sgd_no_optimizer", losses, model)

torch.save(results, sys.argv[1])
print("saved", len(results))
