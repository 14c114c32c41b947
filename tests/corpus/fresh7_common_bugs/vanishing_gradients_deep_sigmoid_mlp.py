# expect: vanishing_gradients
# allow: non_convergence, high_bias, saturated_activations, poor_initialization, learning_rate_too_low
# forbid: *
# evidence: control (ReLU+He, same depth and lr) val_acc 0.998 val_loss 0.008; planted (10 sigmoid layers, default init) val_acc 0.50 (chance 0.5), loss 0.695 all run; probe first-step grad norm 2e-9 at layer 1 vs 0.32 at output (ratio 6e-9; control 0.16)
# control: --control
"""Two-spirals-like 2-D classification lifted to 16 features, solved with a 10-hidden-layer MLP
(width 64), SGD(lr=0.02, momentum=0.9), 12 epochs.

Planted bug: the deep stack uses nn.Sigmoid with PyTorch's default Linear init (an old tutorial
recipe). Each sigmoid layer multiplies the backward signal by <= 0.25, so the first layers get
gradients orders of magnitude smaller than the last ones and the net barely learns.
`--control` uses the same depth with ReLU + He (Kaiming) init; nothing else changes.
"""
import json
import math
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


def spirals(n, g):
    y = torch.randint(0, 2, (n,), generator=g)
    t = torch.rand(n, generator=g) * 3 * math.pi + 0.5
    r = t / (3 * math.pi)
    ang = t + math.pi * y
    xy = torch.stack([r * torch.cos(ang), r * torch.sin(ang)], 1) + 0.03 * torch.randn(n, 2, generator=g)
    proj = torch.randn(2, 16, generator=torch.Generator().manual_seed(99))
    x = torch.cat([xy, torch.tanh(xy @ proj[:, :14] * 2)], 1)
    return (x - x.mean(0)) / x.std(0), y


def build(control):
    layers, d = [], 16
    for _ in range(10):
        lin = nn.Linear(d, 64)
        if control:
            nn.init.kaiming_normal_(lin.weight, nonlinearity="relu")
            nn.init.zeros_(lin.bias)
        layers += [lin, nn.ReLU() if control else nn.Sigmoid()]
        d = 64
    layers.append(nn.Linear(64, 2))
    return nn.Sequential(*layers)


def grad_norms(model):
    return [m.weight.grad.norm().item() for m in model if isinstance(m, nn.Linear)]


def main():
    control = "--control" in sys.argv
    torch.manual_seed(0)
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(1)
    xtr, ytr = spirals(4000, g)
    xva, yva = spirals(1000, g)
    model = build(control)
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    first = None
    for ep in range(12):
        perm = torch.randperm(len(xtr))
        s = 0.0
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            opt.zero_grad()
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            loss.backward()
            if first is None:
                first = grad_norms(model)
            opt.step()
            s += loss.item() * len(idx)
        with torch.no_grad():
            o = model(xva)
            vl, va = F.cross_entropy(o, yva).item(), (o.argmax(1) == yva).float().mean().item()
        print(f"ep {ep+1:2d} train {s/len(xtr):.4f} val {vl:.4f} acc {va:.3f}")
    print("probe: first-step weight-grad norms, input->output layer:", [f"{v:.1e}" for v in first])
    print(f"probe: first/last layer grad-norm ratio = {first[0]/first[-1]:.1e}")
    with torch.no_grad():
        tl = F.cross_entropy(model(xtr), ytr).item()
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                         "train_loss": round(tl, 4), "chance_acc": 0.5}))


if __name__ == "__main__":
    main()
