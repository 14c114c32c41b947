# expect: vanishing_gradients
# allow: saturated_activations, non_convergence, high_bias, learning_rate_too_low
# forbid: *
# evidence: planted (10 Sigmoid blocks): first-layer grad norm 3.8e-6 vs head 0.21 (ratio 1.8e-5), val_acc 0.27 (chance 0.25); control (ReLU, same He init): ratio ~5, val_acc 0.83
# control: --control
"""Classify synthetic EEG-like epochs from their FFT band powers with a deep fully-connected
net. The author stacked ten Linear+Sigmoid blocks ('sigmoid because the features are
probabilities-ish'); gradients reaching the first blocks are orders of magnitude smaller
than at the head and the net stays near chance. Control: the same net with ReLU."""
import argparse
import json
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

pa = argparse.ArgumentParser()
pa.add_argument("--control", action="store_true", help="ReLU instead of Sigmoid in the hidden blocks")
cfg = pa.parse_args()
torch.manual_seed(7)
torch.set_num_threads(1)

FS, T = 128, 256


def eeg(n, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 4, (n,), generator=g)  # dominant rhythm: delta, theta, alpha, beta
    band = torch.tensor([2.5, 6.0, 10.0, 20.0])[y] + torch.randn(n, generator=g)
    t = torch.arange(T) / FS
    x = torch.sin(2 * math.pi * band[:, None] * t + 6.28 * torch.rand(n, 1, generator=g))
    pink = torch.cumsum(torch.randn(n, T, generator=g), 1) * 0.05
    x = x + pink + 1.2 * torch.randn(n, T, generator=g)
    spec = torch.fft.rfft(x).abs()[:, 1:65]
    feats = torch.log1p(spec)
    return feats, y


Xtr, ytr = eeg(2000, 1)
Xva, yva = eeg(600, 2)
mu, sd = Xtr.mean(0), Xtr.std(0)
Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd

act = nn.ReLU if cfg.control else nn.Sigmoid
layers, d = [], 64
for _ in range(10):
    layers += [nn.Linear(d, 64), act()]
    d = 64
layers.append(nn.Linear(64, 4))
net = nn.Sequential(*layers)
for m in net.modules():
    if isinstance(m, nn.Linear):
        nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
        nn.init.zeros_(m.bias)

opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
for epoch in range(15):
    net.train()
    perm = torch.randperm(len(ytr))
    for i in range(0, len(ytr), 50):
        j = perm[i:i + 50]
        loss = F.cross_entropy(net(Xtr[j]), ytr[j])
        opt.zero_grad()
        loss.backward()
        opt.step()
    g_first = net[0].weight.grad.norm().item()
    g_last = net[-1].weight.grad.norm().item()
    with torch.no_grad():
        tl = F.cross_entropy(net(Xtr), ytr).item()
        vo = net(Xva)
        vl = F.cross_entropy(vo, yva).item()
        vacc = (vo.argmax(1) == yva).float().mean().item()
    print(f"epoch {epoch+1:2d} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {vacc:.3f} "
          f"|grad| first {g_first:.2e} last {g_last:.2e}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(vacc, 4), "train_loss": round(tl, 4),
                                     "chance_acc": 0.25, "grad_first_over_last": round(g_first / g_last, 8)}))
