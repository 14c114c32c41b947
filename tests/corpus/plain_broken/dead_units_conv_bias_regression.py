# expect: dead_units
# allow: non_convergence, high_bias, vanishing_gradients
# forbid: *
# evidence: planted (conv bias -3): 100% of channels in all 3 ReLU layers never fire on val, val_mse 0.335 = target var 0.335 (predicts a constant); control (default bias): never-firing channels 0%/12%/16%, val_mse 0.0080
# control: --control
# CNN regression: locate a gaussian blob in a noisy 16x16 image (predict its row/col in [-1, 1]).
# Planted: conv biases initialised to -3 ("sparse features"), which puts every ReLU below zero.
import json
import sys

import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(1)
CONV_BIAS = None if "--control" in sys.argv else -3.0
S = 16


def blobs(n, seed):
    g = torch.Generator().manual_seed(seed)
    pos = torch.rand(n, 2, generator=g) * (S - 4) + 2
    r = torch.arange(S).float()
    rr = (r.view(1, S, 1) - pos[:, 0].view(n, 1, 1)) ** 2
    cc = (r.view(1, 1, S) - pos[:, 1].view(n, 1, 1)) ** 2
    img = torch.exp(-(rr + cc) / 4.0) + 0.2 * torch.randn(n, S, S, generator=g)
    target = (pos - S / 2) / (S / 2 - 2)
    return img.unsqueeze(1), target


Xtr, Ytr = blobs(1500, 0)
Xva, Yva = blobs(500, 1)

model = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(),
    nn.Conv2d(16, 16, 3, padding=1, stride=2), nn.ReLU(),
    nn.Conv2d(16, 32, 3, padding=1, stride=2), nn.ReLU(),
    nn.Flatten(), nn.Linear(32 * 4 * 4, 2),
)
if CONV_BIAS is not None:
    for m in model:
        if isinstance(m, nn.Conv2d):
            nn.init.constant_(m.bias, CONV_BIAS)

relu_out = {}
for i, m in enumerate(model):
    if isinstance(m, nn.ReLU):
        m.register_forward_hook(lambda mod, inp, out, i=i: relu_out.__setitem__(i, out.detach()))

opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.MSELoss()
for epoch in range(7):
    model.train()
    order = torch.randperm(len(Xtr))
    running = 0.0
    for k in range(0, len(Xtr), 50):
        b = order[k:k + 50]
        loss = loss_fn(model(Xtr[b]), Ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        running += loss.item() * len(b)
    model.eval()
    with torch.no_grad():
        val_mse = loss_fn(model(Xva), Yva).item()
        # a channel is dead when it is zero at every position for every validation image
        dead = {i: (o.amax(dim=(0, 2, 3)) <= 0).float().mean().item() for i, o in relu_out.items()}
    print(f"epoch {epoch}: train_mse {running / len(Xtr):.4f} val_mse {val_mse:.4f} "
          f"dead channels {', '.join(f'{v:.0%}' for v in dead.values())}")

print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 5), "train_mse": round(running / len(Xtr), 5),
                                     "target_var": round(Yva.var().item(), 4),
                                     "dead_channel_frac": [round(v, 3) for v in dead.values()]}))
