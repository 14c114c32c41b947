# expect: vanishing_gradients
# allow: non_convergence, high_bias, saturated_activations, learning_rate_too_high
# forbid: *
# evidence: sigmoid x10: mean first-layer weight-grad norm ~3e-9 vs ~7e-2 at layer 10 (ratio 6e-8), val_acc 0.209 / val CE 1.612 after 12 epochs (chance 0.206, ln5 = 1.609). Control (ReLU + He init): grad ratio 3.5, val_acc 0.967, val CE 0.137
# control: --control
# Machine fault detection from 24 vibration-spectrum features (4 fault types + normal).
# Planted: a 10-hidden-layer MLP with nn.Sigmoid activations and default init, trained with SGD:
# the gradient reaching the first layers is orders of magnitude smaller than at the top.
# --control: same depth/width/optimiser with nn.ReLU and He (kaiming_normal) init.
import sys
import json
import torch
import torch.nn as nn

CONTROL = "--control" in sys.argv
Act = nn.ReLU if CONTROL else nn.Sigmoid
torch.manual_seed(12)
torch.set_num_threads(1)


def spectra(n, g):
    y = torch.randint(0, 5, (n,), generator=g)
    base = torch.randn(n, 24, generator=g) * 0.5
    bands = torch.zeros(5, 24)
    for k in range(1, 5):
        bands[k, 4 * k:4 * k + 5] = 1.2
    bands[2, 0:3] = -1.0
    bands[4, 20:24] = 0.8
    return base + bands[y] * (0.6 + 0.8 * torch.rand(n, 1, generator=g)), y


g = torch.Generator().manual_seed(0)
Xtr, ytr = spectra(3000, g)
Xva, yva = spectra(1000, g)

layers, d = [], 24
for _ in range(10):
    layers += [nn.Linear(d, 64), Act()]
    d = 64
net = nn.Sequential(*layers, nn.Linear(64, 5))
if CONTROL:
    for m in net:
        if isinstance(m, nn.Linear):
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            nn.init.zeros_(m.bias)
opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
ce = nn.CrossEntropyLoss()
first, last = net[0], net[18]

for epoch in range(12):
    perm = torch.randperm(3000)
    g_first, g_last, nb = 0.0, 0.0, 0
    for i in range(0, 3000, 64):
        b = perm[i:i + 64]
        loss = ce(net(Xtr[b]), ytr[b])
        opt.zero_grad()
        loss.backward()
        g_first += first.weight.grad.norm().item()
        g_last += last.weight.grad.norm().item()
        nb += 1
        opt.step()
    with torch.no_grad():
        out = net(Xva)
        vloss = ce(out, yva).item()
        vacc = (out.argmax(1) == yva).float().mean().item()
        tloss = ce(net(Xtr), ytr).item()
    print(f"epoch {epoch}: train {tloss:.4f} val {vloss:.4f} acc {vacc:.3f} | grad norm layer1 {g_first / nb:.2e} layer10 {g_last / nb:.2e}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4), "train_loss": round(tloss, 4),
                                      "chance_acc": round(torch.bincount(ytr).max().item() / 3000, 4),
                                      "grad_ratio_first_to_last": float(f"{g_first / g_last:.3e}")}))
