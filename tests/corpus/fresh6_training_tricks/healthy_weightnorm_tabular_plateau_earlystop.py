# expect:
# allow:
# forbid: *
# evidence: weight_norm MLP on synthetic house-price-like tabular regression (standardised features and target), Adam + ReduceLROnPlateau + early stopping (patience 6, best weights restored); early-stopped at epoch 17 with val_mse 0.020, train_mse 0.020 vs target variance 1.01 (R2 ~0.98, at the label-noise floor)
"""Tabular regression with weight-normalised Linear layers, plateau LR schedule and early stopping."""
import copy
import json
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.parametrizations import weight_norm

torch.set_num_threads(1)
torch.manual_seed(0)


def make(n):
    area = torch.rand(n) * 150 + 30            # m^2
    rooms = torch.randint(1, 7, (n,)).float()
    age = torch.rand(n) * 80
    dist = torch.rand(n) * 25                  # km to centre
    floor = torch.randint(0, 12, (n,)).float()
    price = 3.0 * area * torch.exp(-dist / 15) + 20 * rooms - 0.8 * age + 4 * torch.sqrt(floor) * (age < 30).float()
    price = price + 15 * torch.randn(n)
    x = torch.stack([area, rooms, age, dist, floor], 1)
    return x, price


xtr, ytr = make(3000)
xva, yva = make(800)
mu, sd = xtr.mean(0), xtr.std(0)
ymu, ysd = ytr.mean(), ytr.std()
xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
ytr, yva = (ytr - ymu) / ysd, (yva - ymu) / ysd

model = nn.Sequential(weight_norm(nn.Linear(5, 64)), nn.SiLU(), weight_norm(nn.Linear(64, 64)), nn.SiLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=2)
best, best_state, bad, PATIENCE = float("inf"), None, 0, 6

for epoch in range(60):
    model.train()
    perm = torch.randperm(len(xtr))
    tot = 0.0
    for s in range(0, len(xtr), 64):
        idx = perm[s:s + 64]
        loss = F.mse_loss(model(xtr[idx]).squeeze(1), ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        val_mse = F.mse_loss(model(xva).squeeze(1), yva).item()
    sched.step(val_mse)
    train_mse = tot / len(xtr)
    print(f"epoch {epoch} train_mse {train_mse:.4f} val_mse {val_mse:.4f} lr {opt.param_groups[0]['lr']:.1e}")
    if val_mse < best - 1e-4:
        best, best_state, bad = val_mse, copy.deepcopy(model.state_dict()), 0
    else:
        bad += 1
        if bad >= PATIENCE:
            print(f"early stop at epoch {epoch}")
            break

model.load_state_dict(best_state)
model.eval()
with torch.no_grad():
    val_mse = F.mse_loss(model(xva).squeeze(1), yva).item()
    train_mse = F.mse_loss(model(xtr).squeeze(1), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 4), "train_mse": round(train_mse, 4),
                                      "target_var": round(yva.var().item(), 4)}))
