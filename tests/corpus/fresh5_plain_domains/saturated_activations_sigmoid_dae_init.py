# expect: saturated_activations
# allow: poor_initialization, vanishing_gradients, non_convergence, high_bias
# forbid: *
# evidence: planted (init.normal_ std 1): 49% of hidden sigmoid outputs < 0.02 or > 0.98 on validation, val_mse 0.0191; control (default init): 13%, val_mse 0.0104 (target variance 0.081)
# control: --control
"""Classic sigmoid denoising autoencoder (2008-style) for 64-bin spectra in [0, 1]. The
author re-initialised every weight with init.normal_(w) (std 1 — forgot the std argument):
with 64-256 inputs per unit the pre-activations have std ~8, almost every sigmoid sits at
0 or 1 and the reconstruction barely improves. Control: keep PyTorch's default init."""
import argparse
import json
import torch
from torch import nn

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
opts = ap.parse_args()
torch.manual_seed(13)
torch.set_num_threads(1)

F_BINS = 64


def spectra(n, g):
    f = torch.arange(F_BINS).float()
    c1 = 8 + 40 * torch.rand(n, 1, generator=g)
    c2 = 8 + 40 * torch.rand(n, 1, generator=g)
    w = 2 + 4 * torch.rand(n, 1, generator=g)
    s = torch.exp(-((f - c1) / w) ** 2) + 0.6 * torch.exp(-((f - c2) / (w * 1.5)) ** 2)
    return (s / s.max(1, keepdim=True).values).clamp(0, 1)


g = torch.Generator().manual_seed(0)
train_x, val_x = spectra(4000, g), spectra(1000, g)
val_in = (val_x + 0.2 * torch.randn(val_x.shape, generator=g)).clamp(0, 1)

model = nn.Sequential(
    nn.Linear(F_BINS, 256), nn.Sigmoid(),
    nn.Linear(256, 32), nn.Sigmoid(),
    nn.Linear(32, 256), nn.Sigmoid(),
    nn.Linear(256, F_BINS), nn.Sigmoid(),
)
if not opts.control:
    for m in model:
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight)
            nn.init.normal_(m.bias)

opt = torch.optim.Adam(model.parameters(), lr=2e-3)
loss_fn = nn.MSELoss()
for epoch in range(12):
    perm = torch.randperm(len(train_x))
    run = 0.0
    for i in range(0, len(perm), 64):
        x = train_x[perm[i:i + 64]]
        x_noisy = (x + 0.2 * torch.randn_like(x)).clamp(0, 1)
        loss = loss_fn(model(x_noisy), x)
        opt.zero_grad()
        loss.backward()
        opt.step()
        run += loss.item() * len(x)
    with torch.no_grad():
        h, sats = val_in, []
        for m in model[:-2]:
            h = m(h)
            if isinstance(m, nn.Sigmoid):
                sats.append(((h < 0.02) | (h > 0.98)).float().mean().item())
        sat = sum(sats) / len(sats)
        vl = loss_fn(model(val_in), val_x).item()
    print(f"epoch {epoch+1} train_mse {run/len(train_x):.5f} val_mse {vl:.5f} sat_frac_hidden {sat:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 5), "val_loss": round(vl, 5), "train_loss": round(run / len(train_x), 5),
                                     "target_var": round(val_x.var().item(), 5), "saturated_frac_hidden": round(sat, 3)}))
