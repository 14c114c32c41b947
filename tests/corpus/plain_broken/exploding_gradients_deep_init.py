# expect: exploding_gradients
# allow: non_finite, poor_initialization, non_convergence, learning_rate_too_high, dead_units, high_bias
# forbid: *
# evidence: planted (10 ReLU layers, std 3/sqrt(fan_in), no norm): step-0 total grad norm 3.0e4 (control 11.7), step-0 loss 8.5e3, NaN before step 50, val_acc 0.228 (= majority); control (He init): val_acc 0.926, val_loss 0.212
# control: --control
"""10-layer ReLU MLP without any normalisation. Weights are drawn with std 3/sqrt(fan_in)
(about 2x the He std), so forward activations and backward gradients grow ~2x per layer."""
import json
import math
import sys

import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(7)
control = "--control" in sys.argv

DEPTH, WIDTH, D_IN, N_CLS = 10, 64, 12, 5


def build():
    layers, d = [], D_IN
    for _ in range(DEPTH):
        layers += [nn.Linear(d, WIDTH), nn.ReLU()]
        d = WIDTH
    layers.append(nn.Linear(d, N_CLS))
    net = nn.Sequential(*layers)
    for m in net.modules():
        if isinstance(m, nn.Linear):
            if control:
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            else:
                nn.init.normal_(m.weight, 0.0, 3.0 / math.sqrt(m.in_features))
            nn.init.zeros_(m.bias)
    return net


g = torch.Generator().manual_seed(0)
W_true = torch.randn(D_IN, N_CLS, generator=g)
def data(n):
    x = torch.randn(n, D_IN, generator=g)
    y = (x @ W_true + 0.3 * torch.tanh(x[:, :N_CLS] * 2)).argmax(1)
    return x, y


xtr, ytr = data(4000)
xva, yva = data(1000)
net = build()
opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
lossf = nn.CrossEntropyLoss()

linears = [m for m in net if isinstance(m, nn.Linear)]
for step in range(600):
    idx = torch.randint(0, len(xtr), (64,))
    loss = lossf(net(xtr[idx]), ytr[idx])
    opt.zero_grad()
    loss.backward()
    if step == 0:
        gn = [l.weight.grad.norm().item() for l in linears]
        print(f"probe step0 grad norm: first layer {gn[0]:.3g}  last layer {gn[-1]:.3g}  loss {loss.item():.3g}")
    total = math.sqrt(sum(p.grad.pow(2).sum().item() for p in net.parameters()))
    opt.step()
    if step % 50 == 0:
        print(f"step {step} loss {loss.item():.4g} grad_norm {total:.4g}")

net.eval()
with torch.no_grad():
    out = net(xva)
    vl = lossf(out, yva).item()
    va = (out.argmax(1) == yva).float().mean().item()
    tl = lossf(net(xtr), ytr).item()
fin = lambda v: round(v, 4) if math.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({"val_loss": fin(vl), "val_acc": round(va, 4), "train_loss": fin(tl),
                                     "chance_acc": round(torch.bincount(yva).max().item() / len(yva), 4)}))
