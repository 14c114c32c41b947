# expect:
# allow:
# forbid: *
# evidence: SWA model val_acc 0.9975 (chance 0.33), val_loss 0.009
"""Heartbeat classification (normal / premature ventricular / bundle-branch-like) from
64-sample synthetic ECG beats with a 1-D CNN + BatchNorm. SGD with Nesterov momentum and
cosine annealing for the first epochs, then Stochastic Weight Averaging
(torch.optim.swa_utils.AveragedModel + SWALR) and update_bn before evaluation."""
import json
import math
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.optim.swa_utils import AveragedModel, SWALR, update_bn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(24)
torch.set_num_threads(1)
t = torch.linspace(-1, 1, 64)


def beats(n, g):
    y = torch.randint(0, 3, (n,), generator=g)
    shift = 0.08 * torch.randn(n, 1, generator=g)
    width = torch.where(y == 0, 0.05, torch.where(y == 1, 0.13, 0.09))[:, None] * (1 + 0.15 * torch.randn(n, 1, generator=g))
    qrs = torch.exp(-((t - shift) / width) ** 2)
    notch = (y == 2).float()[:, None] * 0.5 * torch.exp(-((t - shift - 0.12) / 0.04) ** 2)
    p_wave = (y != 1).float()[:, None] * 0.2 * torch.exp(-((t - shift + 0.45) / 0.08) ** 2)
    t_wave = torch.where(y == 1, -0.35, 0.3)[:, None] * torch.exp(-((t - shift - 0.5) / 0.12) ** 2)
    base = 0.2 * torch.randn(n, 1, generator=g) * t
    x = qrs + notch + p_wave + t_wave + base + 0.12 * torch.randn(n, 64, generator=g)
    return x.unsqueeze(1), y


g = torch.Generator().manual_seed(0)
Xtr, ytr = beats(1800, g)
Xva, yva = beats(800, g)
loader = DataLoader(TensorDataset(Xtr, ytr), batch_size=48, shuffle=True)

model = nn.Sequential(
    nn.Conv1d(1, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(2),
    nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
    nn.Conv1d(32, 32, 3, padding=1), nn.BatchNorm1d(32), nn.ReLU(), nn.AdaptiveAvgPool1d(1),
    nn.Flatten(), nn.Linear(32, 3),
)
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4)
EPOCHS, SWA_START = 10, 6
cos = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=SWA_START)
swa_model = AveragedModel(model)
swa_sched = SWALR(opt, swa_lr=0.01, anneal_epochs=1)


def evaluate(m):
    m.eval()
    with torch.no_grad():
        out = m(Xva)
    return F.cross_entropy(out, yva).item(), (out.argmax(1) == yva).float().mean().item()


for epoch in range(EPOCHS):
    model.train()
    tot, n = 0.0, 0
    for xb, yb in loader:
        loss = F.cross_entropy(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(yb)
        n += len(yb)
    if epoch >= SWA_START:
        swa_model.update_parameters(model)
        swa_sched.step()
    else:
        cos.step()
    vl, va = evaluate(model)
    print(f"epoch {epoch+1} lr {opt.param_groups[0]['lr']:.4f} train_loss {tot/n:.4f} val_loss {vl:.4f} val_acc {va:.4f}")

update_bn(loader, swa_model)
vl, va = evaluate(swa_model)
swa_model.eval()
with torch.no_grad():
    tl = F.cross_entropy(swa_model(Xtr), ytr).item()
print(f"SWA model: val_loss {vl:.4f} val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "chance_acc": 0.3333}))
