# expect:
# allow:
# forbid: *
# evidence: healthy; val_acc 0.927 (chance 0.1), val_loss 0.379, plain train CE 0.151 (smoothed 0.61)
"""10-class classification of synthetic 8x8 "glyph" images (each class a fixed random template,
random shifts, pixel noise), flattened into an MLP that outputs raw logits for
nn.CrossEntropyLoss(label_smoothing=0.1). Small, noisy mini-batches of 8 with
SGD(lr=0.01, momentum=0.9, weight_decay=5e-4), 6 epochs. Healthy twin of
non_convergence_softmax_before_cross_entropy.py (no Softmax before the loss).
"""
import json

import torch
import torch.nn as nn

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
model = nn.Sequential(*layers)
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)

for epoch in range(6):
    perm = torch.randperm(len(xtr))
    run = 0.0
    for i in range(0, len(xtr), 8):
        idx = perm[i:i + 8]
        opt.zero_grad()
        loss = criterion(model(xtr[idx]), ytr[idx])
        loss.backward()
        opt.step()
        run += loss.item() * len(idx)
    with torch.no_grad():
        out = model(xva)
        vl = nn.functional.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    print(f"epoch {epoch+1:2d} train_loss(smoothed) {run/len(xtr):.4f} val_nll {vl:.4f} val_acc {va:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                     "train_loss": round(nn.functional.cross_entropy(model(xtr), ytr).item(), 4), "chance_acc": 0.1}))
