# expect: saturated_activations
# allow: vanishing_gradients, non_convergence, high_bias, poor_initialization
# forbid: *
# evidence: planted (std 10/sqrt(fan_in)): 78-80% of tanh outputs have |h|>0.99 in every layer all run, val_acc 0.545, val_loss 0.956; control (Xavier, tanh gain): 4-8% saturated, val_acc 0.873, val_loss 0.321
# control: --control
"""4-hidden-layer tanh MLP. The planted run initialises weights N(0, (10/sqrt(fan_in))^2), so the
pre-activations have std ~10 and most tanh units sit at +-1. Control: Xavier (gain 5/3) init."""
import json
import sys

import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(4)
control = "--control" in sys.argv

gen = torch.Generator().manual_seed(8)
D = 20
P = torch.randn(D, 3, generator=gen)
P = P / P.norm(dim=0)
Q = torch.randn(D, 3, generator=gen) / D ** 0.5


def dataset(n):
    x = torch.randn(n, D, generator=gen)
    y = (x @ P + 0.5 * torch.sin(2 * x @ Q)).argmax(1)  # 3 classes
    return x, y


xtr, ytr = dataset(4000)
xva, yva = dataset(1000)

layers = []
d = D
for _ in range(4):
    layers += [nn.Linear(d, 32), nn.Tanh()]
    d = 32
layers += [nn.Linear(d, 3)]
net = nn.Sequential(*layers)
for m in net:
    if isinstance(m, nn.Linear):
        if control:
            nn.init.xavier_normal_(m.weight, gain=nn.init.calculate_gain("tanh"))
        else:
            nn.init.normal_(m.weight, std=10.0 / m.in_features ** 0.5)
        nn.init.zeros_(m.bias)

opt = torch.optim.SGD(net.parameters(), lr=0.02, momentum=0.9)
ce = nn.CrossEntropyLoss()


def saturation(x):
    fr = []
    h = x
    for m in net:
        h = m(h)
        if isinstance(m, nn.Tanh):
            fr.append((h.abs() > 0.99).float().mean().item())
    return fr


for epoch in range(10):
    net.train()
    idx = torch.randperm(len(xtr))
    tl = 0.0
    for i in range(0, len(xtr), 64):
        b = idx[i:i + 64]
        loss = ce(net(xtr[b]), ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tl += loss.item() * len(b) / len(xtr)
    net.eval()
    with torch.no_grad():
        o = net(xva)
        vl = ce(o, yva).item()
        va = (o.argmax(1) == yva).float().mean().item()
        sat = saturation(xva)
    print(f"epoch {epoch:2d} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.3f} "
          f"|tanh|>0.99: {' '.join(f'{s:.0%}' for s in sat)}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "chance_acc": round(torch.bincount(yva).max().item() / len(yva), 4),
                                     "saturated_frac": [round(s, 3) for s in sat]}))
