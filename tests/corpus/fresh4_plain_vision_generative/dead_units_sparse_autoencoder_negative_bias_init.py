# expect: dead_units
# allow: non_convergence, high_bias, poor_initialization, vanishing_gradients
# forbid: *
# evidence: planted (encoder biases initialised to -1.5 "for sparse codes") 94% of encoder ReLUs never fire on val, val_mse 0.0846 = target variance 0.0845 (predicts the mean patch); control (zero bias init) dead 0%, val_mse 0.0035
# control: --control
"""Sparse autoencoder on 12x12 texture patches: 144 -> 256 -> 64 (ReLU codes) -> 256 -> 144,
MSE reconstruction + small L1 penalty on the code."""
import json
import math
import sys

import torch
from torch import nn

ENC_BIAS = 0.0 if "--control" in sys.argv else -1.5
L1 = 2e-5
P = 12
torch.set_num_threads(1)
torch.manual_seed(5)


def patches(n, g):
    yy, xx = torch.meshgrid(torch.arange(P).float(), torch.arange(P).float(), indexing="ij")
    th = torch.rand(n, 1, 1, generator=g) * math.pi
    f = 0.4 + 0.8 * torch.rand(n, 1, 1, generator=g)
    ph = 2 * math.pi * torch.rand(n, 1, 1, generator=g)
    img = 0.5 + 0.4 * torch.sin(f * (xx * torch.cos(th) + yy * torch.sin(th)) + ph)
    blob = torch.rand(n, 1, 1, generator=g) < 0.4                       # some patches get a bright spot
    cx, cy = P * torch.rand(n, 1, 1, generator=g), P * torch.rand(n, 1, 1, generator=g)
    img = img + blob * 0.5 * torch.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / 6)
    img = (img + 0.05 * torch.randn(img.shape, generator=g)).clamp(0, 1)
    return (img - 0.5).view(n, -1)                                       # centre the pixels


class SparseAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(P * P, 256), nn.ReLU(), nn.Linear(256, 64), nn.ReLU())
        self.decoder = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, P * P))
        for m in self.encoder:
            if isinstance(m, nn.Linear):
                nn.init.kaiming_uniform_(m.weight, nonlinearity="relu")
                nn.init.constant_(m.bias, ENC_BIAS)

    def forward(self, x):
        code = self.encoder(x)
        return self.decoder(code), code


g = torch.Generator().manual_seed(0)
train, val = patches(4000, g), patches(800, g)
ae = SparseAE()
opt = torch.optim.Adam(ae.parameters(), lr=1e-3)


def dead_fraction(model, x):
    with torch.no_grad():
        h1 = model.encoder[1](model.encoder[0](x))
        h2 = model.encoder[3](model.encoder[2](h1))
    fired = torch.cat([(h1 > 0).any(0), (h2 > 0).any(0)])
    return 1 - fired.float().mean().item()


for epoch in range(10):
    perm = torch.randperm(len(train))
    tot = 0.0
    for i in range(0, len(train), 64):
        x = train[perm[i:i + 64]]
        rec, code = ae(x)
        mse = ((rec - x) ** 2).mean()
        loss = mse + L1 * code.abs().sum(1).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += mse.item() * len(x)
    with torch.no_grad():
        vrec, _ = ae(val)
        vmse = ((vrec - val) ** 2).mean().item()
    dead = dead_fraction(ae, val)
    print(f"epoch {epoch}: train_mse {tot / len(train):.5f} val_mse {vmse:.5f} dead_relu {dead:.1%}")

print("CORPUS_METRIC " + json.dumps({"train_loss": round(tot / len(train), 6), "val_loss": round(vmse, 6),
                                     "val_mse": round(vmse, 6), "target_var": round(val.var(0).mean().item(), 6),
                                     "dead_relu_frac": round(dead, 4)}))
