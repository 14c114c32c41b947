# expect: saturated_activations
# allow: poor_initialization, vanishing_gradients, non_convergence, high_bias
# forbid: *
# evidence: tanh autoencoder whose hidden Linear weights were initialised with nn.init.normal_(std=1.0) (fan-in 16-64, so pre-activations have std 4-8): probe at the end shows 73.7% of first-layer tanh outputs with |a| > 0.99; planted val_mse 0.302 (per-pixel variance 1.0); --control (Xavier init, gain 5/3) 1.4% saturated, val_mse 0.079
# control: --control
"""Dense autoencoder (64 -> 128 -> 16 -> 128 -> 64) on 8x8 synthetic 'blob' images, Adam, tanh everywhere."""
import json
import sys
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
CONTROL = "--control" in sys.argv
S = 8
yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")


def make(n):
    imgs = torch.zeros(n, S, S)
    for _ in range(2):
        cx, cy = torch.rand(n, 1, 1) * S, torch.rand(n, 1, 1) * S
        w = torch.rand(n, 1, 1) * 1.5 + 0.8
        imgs += torch.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * w ** 2))
    x = imgs.reshape(n, -1) + 0.05 * torch.randn(n, S * S)
    return x


xtr = make(3000)
xva = make(800)
mu, sd = xtr.mean(), xtr.std()
xtr, xva = (xtr - mu) / sd, (xva - mu) / sd

encoder = nn.Sequential(nn.Linear(64, 128), nn.Tanh(), nn.Linear(128, 16), nn.Tanh())
decoder = nn.Sequential(nn.Linear(16, 128), nn.Tanh(), nn.Linear(128, 64))
model = nn.Sequential(encoder, decoder)
for m in [encoder[0], encoder[2], decoder[0]]:   # hidden (tanh) layers; the linear read-out keeps its default init
    if CONTROL:
        nn.init.xavier_normal_(m.weight, gain=nn.init.calculate_gain("tanh"))
    else:
        nn.init.normal_(m.weight, std=1.0)
    nn.init.zeros_(m.bias)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(12):
    model.train()
    perm = torch.randperm(len(xtr))
    tot = 0.0
    for s in range(0, len(xtr), 64):
        idx = perm[s:s + 64]
        loss = F.mse_loss(model(xtr[idx]), xtr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        val_mse = F.mse_loss(model(xva), xva).item()
    train_mse = tot / len(xtr)
    print(f"epoch {epoch} train_mse {train_mse:.4f} val_mse {val_mse:.4f}")

with torch.no_grad():
    a1 = encoder[1](encoder[0](xva))
    sat = (a1.abs() > 0.99).float().mean().item()
print(f"probe: fraction of encoder tanh outputs with |a|>0.99: {sat:.1%}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 4), "train_mse": round(train_mse, 4),
                                      "target_var": round(xva.var().item(), 4), "saturated_frac": round(sat, 3)}))
