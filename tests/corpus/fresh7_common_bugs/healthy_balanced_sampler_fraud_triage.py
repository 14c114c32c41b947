# expect:
# allow:
# forbid: *
# evidence: healthy; balanced val_acc 0.842 (chance 0.33), min per-class recall 0.78, val_loss 0.386 vs train 0.373
"""Fraud-type triage (3 classes: ok / review / fraud) on 16 standardised tabular features,
MLP + AdamW(lr=1e-3) with an ExponentialLR decay; the skewed train set (70/20/10) is rebalanced
with a WeightedRandomSampler using inverse class frequencies; validation is class-balanced.
Healthy twin of class_imbalance_sampler_weights_inverted.py (sampler weights fixed).
"""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset, WeightedRandomSampler

torch.manual_seed(0)
torch.set_num_threads(1)
g = torch.Generator().manual_seed(8)
means = torch.randn(3, 16, generator=torch.Generator().manual_seed(21)) * 0.55


def draw(counts):
    xs, ys = [], []
    for c, n in enumerate(counts):
        xs.append(means[c] + torch.randn(n, 16, generator=g))
        ys.append(torch.full((n,), c))
    return torch.cat(xs), torch.cat(ys)


xtr, ytr = draw([4200, 1200, 600])
xva, yva = draw([400, 400, 400])
count = torch.bincount(ytr).float()
w = 1.0 / count[ytr]
sampler = WeightedRandomSampler(w, num_samples=len(ytr), replacement=True,
                                generator=torch.Generator().manual_seed(0))
loader = DataLoader(TensorDataset(xtr, ytr), batch_size=64, sampler=sampler)

model = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3))
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.85)
seen = torch.zeros(3)
for epoch in range(10):
    tot, n = 0.0, 0
    for xb, yb in loader:
        seen += torch.bincount(yb, minlength=3)
        loss = F.cross_entropy(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(yb); n += len(yb)
    sched.step()
    with torch.no_grad():
        out = model(xva)
        vl, va = F.cross_entropy(out, yva).item(), (out.argmax(1) == yva).float().mean().item()
    print(f"epoch {epoch+1} loss {tot/n:.4f} val_loss {vl:.4f} val_acc {va:.3f}")

with torch.no_grad():
    pred = model(xva).argmax(1)
    recall = [round(((pred == c) & (yva == c)).sum().item() / 400, 3) for c in range(3)]
    tl = F.cross_entropy(model(xtr), ytr).item()
print("probe: label share seen in training batches:", [round(v, 3) for v in (seen / seen.sum()).tolist()])
print("probe: predicted class histogram on balanced val:", torch.bincount(pred, minlength=3).tolist(),
      "per-class recall:", recall)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "chance_acc": 0.3333, "recall_min": min(recall)}))
