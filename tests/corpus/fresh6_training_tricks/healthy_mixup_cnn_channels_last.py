# expect:
# allow:
# forbid: *
# evidence: BN CNN in channels_last memory format trained with mixup (alpha 0.2) on 3-class synthetic textures (stripes / checkers / dots, random phase and scale, noisy), Adam + StepLR; val_acc 0.996, val_loss 0.077 after 8 epochs (chance 0.33; mixup train loss ~0.3 sits above val loss by construction)
"""Mixup + channels_last. Train loss is on mixed targets, evaluation on clean images."""
import json
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
S, K = 16, 3
yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")


def make(n):
    y = torch.randint(0, K, (n,))
    f = (torch.rand(n, 1, 1) * 0.6 + 0.6)
    ph = torch.rand(n, 1, 1) * 6.28
    ang = torch.rand(n, 1, 1) * math.pi
    u = xx * torch.cos(ang) + yy * torch.sin(ang)
    v = -xx * torch.sin(ang) + yy * torch.cos(ang)
    stripes = torch.sin(f * u + ph)
    checkers = torch.sin(f * u + ph) * torch.sin(f * v + ph)
    dots = (torch.cos(f * u + ph) + torch.cos(f * v + ph)).clamp(min=0) - 0.5
    img = torch.where((y == 0)[:, None, None], stripes, torch.where((y == 1)[:, None, None], checkers, dots))
    img = img + 0.5 * torch.randn(n, S, S)
    return img.unsqueeze(1) / 0.8, y


xtr, ytr = make(2000)
xva, yva = make(500)
model = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
    nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, K)).to(memory_format=torch.channels_last)
xtr = xtr.contiguous(memory_format=torch.channels_last)
xva = xva.contiguous(memory_format=torch.channels_last)
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.3)
beta = torch.distributions.Beta(0.2, 0.2)

for epoch in range(8):
    model.train()
    perm = torch.randperm(len(xtr))
    tot = 0.0
    for s in range(0, len(xtr), 32):
        idx = perm[s:s + 32]
        xb, yb = xtr[idx], ytr[idx]
        lam = beta.sample().item()
        j = torch.randperm(len(idx))
        out = model(lam * xb + (1 - lam) * xb[j])
        loss = lam * F.cross_entropy(out, yb) + (1 - lam) * F.cross_entropy(out, yb[j])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(idx)
    sched.step()
    model.eval()
    with torch.no_grad():
        lv = model(xva)
        val_loss = F.cross_entropy(lv, yva).item()
        val_acc = (lv.argmax(1) == yva).float().mean().item()
    train_loss = tot / len(xtr)
    print(f"epoch {epoch} train_loss(mixup) {train_loss:.4f} val_loss {val_loss:.4f} val_acc {val_acc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                      "train_loss": round(train_loss, 4), "chance_acc": round(1 / K, 4)}))
