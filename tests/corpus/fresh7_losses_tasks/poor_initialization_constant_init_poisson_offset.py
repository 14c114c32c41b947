# expect: poor_initialization
# allow: high_bias, non_convergence
# forbid: *
# evidence: probe: 1 distinct hidden unit per layer (of 64) at init and after 25 epochs; planted val deviance 1.513 vs 1.597 for a constant rate (train NLL 1.446 ~ val 1.424); control (default init, 64 distinct units) val deviance 1.092, train NLL 1.137
# control: --control
"""Planted: constant (symmetric) weight init in a Poisson count model with an exposure offset.

Insurance-claims style data: claim counts per policy with exposure (years at risk, 0.1-1) as an
offset: log E[y] = log(exposure) + f(x), 12 standardised rating factors with interactions.
MLP 12-64-64-1 (tanh) predicting f(x); nn.PoissonNLLLoss(log_input=True, full=True) on
f(x) + log(exposure); Adam lr=3e-3, 25 epochs.  Planted: every hidden weight initialised to the
same constant 0.05 (biases 0), so all hidden units of a layer compute the same function and
receive the same gradient forever - the net has effectively one unit per layer.  --control:
PyTorch's default (random) init; nothing else changes.  Probe: number of distinct hidden units
(rows of W1 that differ by > 1e-6).  Metrics: held-out Poisson deviance per policy; reference:
a constant claim rate per unit exposure.
"""
import argparse, json
import torch, torch.nn as nn

torch.set_num_threads(1); torch.manual_seed(0)
ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()
D = 12
w = torch.randn(D) * 0.1

def make(n, g):
    x = torch.randn(n, D, generator=g); expo = 0.1 + 0.9 * torch.rand(n, generator=g)
    f = -0.5 + x @ w + 0.8 * torch.tanh(x[:, 0] * x[:, 1]) - 0.6 * x[:, 2].abs() + 0.5 * torch.sin(2 * x[:, 3]) - 0.5 * torch.tanh(x[:, 4] * x[:, 5])
    return x, expo, torch.poisson(expo * f.exp() * 4.0, generator=g)

g = torch.Generator().manual_seed(1)
xtr, etr, ytr = make(8000, g); xva, eva, yva = make(2000, g)
net = nn.Sequential(nn.Linear(D, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 1))
if not args.control:
    with torch.no_grad():
        for l in (net[0], net[2], net[4]): l.weight.fill_(0.05); l.bias.zero_()  # planted
crit = nn.PoissonNLLLoss(log_input=True, full=True)
opt = torch.optim.Adam(net.parameters(), lr=3e-3)

def distinct(W): return len({tuple(r) for r in (W.detach() / 1e-6).round().tolist()})

def dev(lograte, y):
    mu = lograte.exp(); t = torch.where(y > 0, y * torch.log(y / mu), torch.zeros_like(y))
    return float((2 * (t - (y - mu))).mean())

print("probe at init: distinct hidden units layer1/layer2:", distinct(net[0].weight), distinct(net[2].weight))
for ep in range(25):
    perm = torch.randperm(len(xtr)); tot = 0.0; nb = 0
    for i in range(0, len(xtr), 128):
        b = perm[i:i + 128]; lr_ = net(xtr[b]).squeeze(1) + etr[b].log(); loss = crit(lr_, ytr[b])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item(); nb += 1
    with torch.no_grad(): lv = net(xva).squeeze(1) + eva.log(); vl = float(crit(lv, yva)); vd = dev(lv, yva)
    if ep % 3 == 0 or ep == 24: print(f"epoch {ep+1} poisson_nll {tot/nb:.4f} val_nll {vl:.4f} val_deviance {vd:.4f} distinct_units {distinct(net[0].weight)}/{distinct(net[2].weight)}")
with torch.no_grad(): tl = float(crit(net(xtr).squeeze(1) + etr.log(), ytr))
rate = float(ytr.sum() / etr.sum()); base = dev(torch.log(rate * eva), yva)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_deviance": round(vd, 4), "train_loss": round(tl, 4), "constant_rate_deviance": round(base, 4), "distinct_units_l1": distinct(net[0].weight)}))
