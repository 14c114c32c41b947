"""Audio-like classification of synthetic 1-D signals (4 classes: low tone, high
tone, up-chirp, down-chirp, random phase/amplitude, additive noise) with a deep
plain stack of 10 Conv1d layers. Planted: sigmoid activations throughout (the
"classic" choice), no normalisation, no residuals, SGD+momentum - the gradient
reaching the first layers is orders of magnitude smaller than at the top.
--control swaps the activations to ReLU, everything else identical."""
# expect: vanishing_gradients
# allow: non_convergence, saturated_activations, high_bias
# forbid: *
# evidence: planted (sigmoid): mean grad norm conv1 1.8e-7 vs conv10 8.5e-2 (ratio 2e-6), loss stuck at 1.386 = ln 4, val_acc 0.23 (chance 0.25); control (ReLU): ratio 0.13, val_acc 1.00, val loss 0.0008
# control: --control
# native-log:
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
rng = np.random.default_rng(0)
L, FS = 128, 128.0


def make(n):
    t = np.arange(L) / FS
    X = np.zeros((n, 1, L), np.float32); y = rng.integers(0, 4, n)
    for i in range(n):
        ph, a = rng.uniform(0, 2 * np.pi), rng.uniform(0.5, 1.5)
        if y[i] == 0:   f = 8 + rng.uniform(-1, 1) + 0 * t
        elif y[i] == 1: f = 24 + rng.uniform(-2, 2) + 0 * t
        elif y[i] == 2: f = 8 + 16 * t
        else:           f = 24 - 16 * t
        X[i, 0] = a * np.sin(2 * np.pi * np.cumsum(f) / FS + ph) + rng.normal(0, 0.5, L)
    return torch.tensor(X), torch.tensor(y)


Xtr, ytr = make(800); Xva, yva = make(300)
Act = nn.ReLU if CONTROL else nn.Sigmoid
layers, c = [], 1
for k in range(10):
    layers += [nn.Conv1d(c, 16, 5, padding=2, stride=2 if k in (2, 5, 8) else 1), Act()]
    c = 16
model = nn.Sequential(*layers, nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(16, 4))
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
convs = [m for m in model if isinstance(m, nn.Conv1d)]
for m in convs:                                   # He init for every conv (both runs)
    nn.init.kaiming_normal_(m.weight, nonlinearity="relu"); nn.init.zeros_(m.bias)
for epoch in range(12):
    model.train()
    p = torch.randperm(len(Xtr)); tot = 0.0; gn = np.zeros(len(convs)); nb = 0
    for i in range(0, len(Xtr), 32):
        idx = p[i:i + 32]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward()
        gn += [m.weight.grad.norm().item() for m in convs]; nb += 1
        opt.step()
        tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    gn /= nb
    if epoch % 3 == 0 or epoch == 11:
        print(f"epoch {epoch:2d} train_loss {tot/len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.3f} | grad norm conv1 {gn[0]:.2e} conv10 {gn[-1]:.2e} ratio {gn[0]/gn[-1]:.1e}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / len(Xtr), 4), "chance_acc": 0.25,
                                      "grad_norm_first_conv": float(f"{gn[0]:.3e}"), "grad_norm_last_conv": float(f"{gn[-1]:.3e}")}))
