# expect: non_convergence
# allow: high_bias, vanishing_gradients, learning_rate_too_low, saturated_activations
# forbid: *
# evidence: control (logits into CE) train loss 0.016, val_acc 0.910, val_nll 0.259; planted (Softmax then CE) criterion loss crawls 2.29 -> 1.64 in 10 epochs (floor ln(1+9/e)=1.46), val_acc 0.795, val_nll 0.709
# control: --control
"""10-class classification of synthetic 8x8 "glyph" images (each class a fixed random template,
random shifts, pixel noise), flattened into an MLP, SGD(lr=0.05, momentum=0.9), 10 epochs.

Planted bug: the model ends in nn.Softmax(dim=1) and its output is fed to nn.CrossEntropyLoss,
which applies log_softmax again. The loss can then never go below ln(1 + 9/e) = 1.46 and its
gradient is squashed, so the training loss plateaus high and learning crawls.
`--control` drops the extra Softmax (CrossEntropyLoss gets raw logits); nothing else changes.
"""
import json
import sys

import torch
import torch.nn as nn

CONTROL = "--control" in sys.argv
torch.manual_seed(0)
torch.set_num_threads(1)
g = torch.Generator().manual_seed(6)
templates = (torch.rand(10, 10, 10, generator=g) < 0.35).float()


def glyphs(n):
    y = torch.randint(0, 10, (n,), generator=g)
    dx, dy = torch.randint(0, 3, (n,), generator=g), torch.randint(0, 3, (n,), generator=g)
    imgs = torch.stack([templates[y[i], dx[i]:dx[i] + 8, dy[i]:dy[i] + 8] for i in range(n)])
    imgs = imgs + 0.6 * torch.randn(n, 8, 8, generator=g)
    return ((imgs - 0.35) / 0.7).view(n, 64), y


xtr, ytr = glyphs(4000)
xva, yva = glyphs(1000)
layers = [nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10)]
if not CONTROL:
    layers.append(nn.Softmax(dim=1))     # BUG: CrossEntropyLoss expects logits
model = nn.Sequential(*layers)
criterion = nn.CrossEntropyLoss()
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)

for epoch in range(10):
    perm = torch.randperm(len(xtr))
    run = 0.0
    for i in range(0, len(xtr), 64):
        idx = perm[i:i + 64]
        opt.zero_grad()
        loss = criterion(model(xtr[idx]), ytr[idx])
        loss.backward()
        opt.step()
        run += loss.item() * len(idx)
    with torch.no_grad():
        out = model(xva)
        # report a proper held-out cross-entropy from the class scores the model outputs
        logp = torch.log(out.clamp_min(1e-12)) if not CONTROL else torch.log_softmax(out, 1)
        vl = nn.functional.nll_loss(logp, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    print(f"epoch {epoch+1:2d} train_loss(criterion) {run/len(xtr):.4f} val_nll {vl:.4f} val_acc {va:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                     "train_loss": round(run / len(xtr), 4), "chance_acc": 0.1}))
