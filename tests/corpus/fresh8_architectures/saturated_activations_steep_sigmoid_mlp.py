# expect: saturated_activations
# allow: vanishing_gradients, high_bias, non_convergence, learning_rate_too_low, learning_rate_too_high, dead_units
# forbid: *
# evidence: planted (sigmoid(20z), 3 layers, SGD 0.1) stays at val_acc 0.359 = majority 0.359, train_loss 1.20 (> ln3); 84% / 99% / 100% of h1/h2/h3 activations <0.01 or >0.99, |grad W1| 2e-6; control (k=1) val_acc 0.906, train_loss 0.249, saturation 0% / 8% / 14%, |grad W1| 9e-2
# control: --control
"""Classifier whose hidden units are 'steep sigmoids' sigmoid(k * z) -- k=20 was chosen so the units behave like
hard thresholds ("more interpretable").  The units sit at 0 or 1 almost everywhere and pass ~no gradient.
--control: k = 1 (ordinary sigmoid units), everything else identical."""
import argparse
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--control", action="store_true")
a = p.parse_args()
K = 1.0 if a.control else 20.0

torch.set_num_threads(1)
torch.manual_seed(0)
gen = torch.Generator().manual_seed(4)


def spiral_data(n, classes=3, noise=0.15):
    y = torch.randint(0, classes, (n,), generator=gen)
    t = torch.rand(n, generator=gen) * 3 + 0.3
    ang = t * 1.6 + y * (2 * torch.pi / classes)
    x = torch.stack([t * ang.cos(), t * ang.sin()], 1) / 2 + noise * torch.randn(n, 2, generator=gen)
    return x, y


class SteepSigmoid(nn.Module):
    def __init__(self, k):
        super().__init__()
        self.k = k

    def forward(self, z):
        return torch.sigmoid(self.k * z)


net = nn.Sequential(nn.Linear(2, 64), SteepSigmoid(K), nn.Linear(64, 64), SteepSigmoid(K), nn.Linear(64, 64), SteepSigmoid(K),
                    nn.Linear(64, 3))
acts = {}
for i in (1, 3, 5):
    net[i].register_forward_hook(lambda m, inp, out, i=i: acts.__setitem__(i, out.detach()))

xtr, ytr = spiral_data(3000)
xva, yva = spiral_data(1000)
opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)

for epoch in range(30):
    perm = torch.randperm(len(xtr))
    for i in range(0, len(xtr), 64):
        b = perm[i:i + 64]
        loss = F.cross_entropy(net(xtr[b]), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step()
    if epoch % 5 == 4:
        with torch.no_grad():
            out = net(xva)
            vl, va = F.cross_entropy(out, yva).item(), (out.argmax(1) == yva).float().mean().item()
            sat = {i: ((acts[i] < 0.01) | (acts[i] > 0.99)).float().mean().item() for i in acts}
            tl = F.cross_entropy(net(xtr), ytr).item()
        g1 = net[0].weight.grad.norm().item()
        print(f"epoch {epoch + 1:2d} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.3f} "
              f"saturated frac h1 {sat[1]:.2f} h2 {sat[3]:.2f} h3 {sat[5]:.2f} |grad W1| {g1:.2e}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                      "chance_acc": round(torch.bincount(yva).max().item() / len(yva), 4),
                                      "saturated_frac_h1": round(sat[1], 3), "saturated_frac_h2": round(sat[3], 3), "saturated_frac_h3": round(sat[5], 3)}))
