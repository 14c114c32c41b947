# expect:
# allow:
# forbid: *
# evidence: healthy; val_mse 0.074 vs target var 1.03 (R^2 0.93), train_mse 0.067, no non-finite values
"""Delivery-time regression from 14 tabular features (distance, weight, hour, ..., plus one-hot
"region" flags, one of which never occurs in training), MLP + Adam(lr=1e-3) with an
ExponentialLR decay, notebook-style flat script. Features are standardised ONCE with train-set
statistics and an epsilon (the constant column simply becomes 0). Healthy twin of
non_finite_batch_std_zero_division.py.
"""
import json
import math

import torch
import torch.nn as nn

torch.manual_seed(0)
torch.set_num_threads(1)
g = torch.Generator().manual_seed(10)


def orders(n, region_probs):
    num = torch.randn(n, 10, generator=g) * torch.tensor([5, 2, 6, 1, 1, 3, 1, 1, 2, 1.0]) + \
        torch.tensor([12, 4, 13, 0, 0, 8, 0, 0, 3, 0.0])
    region = torch.multinomial(torch.tensor(region_probs), n, replacement=True, generator=g)
    onehot = torch.nn.functional.one_hot(region, 4).float()
    y = 0.8 * num[:, 0] + 1.5 * num[:, 1] + 2 * torch.sin(num[:, 2] / 4) + 3 * onehot[:, 1] - 2 * onehot[:, 2] \
        + 0.5 * num[:, 3] * num[:, 4] + torch.randn(n, generator=g)
    return torch.cat([num, onehot], 1), y


xtr, ytr = orders(4000, [0.5, 0.3, 0.2, 0.0])      # region 3 never occurs in the training data
xva, yva = orders(1000, [0.5, 0.3, 0.2, 0.0])
mu, sd = ytr.mean(), ytr.std()
ytr, yva = (ytr - mu) / sd, (yva - mu) / sd
mean_all, std_all = xtr.mean(0), xtr.std(0) + 1e-6   # train-set statistics


def norm_batch(xb):
    return (xb - mean_all) / std_all


net = nn.Sequential(nn.Linear(14, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.8)
loss_fn = nn.MSELoss()
first_bad = None
step = 0
for epoch in range(10):
    perm = torch.randperm(len(xtr))
    run = []
    for i in range(0, len(xtr), 128):
        idx = perm[i:i + 128]
        pred = net(norm_batch(xtr[idx])).squeeze(1)
        loss = loss_fn(pred, ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        if first_bad is None and not math.isfinite(loss.item()):
            first_bad = step
        run.append(loss.item())
        step += 1
    sched.step()
    with torch.no_grad():
        vm = loss_fn(net((xva - mean_all) / std_all).squeeze(1), yva).item()
    print(f"epoch {epoch+1:2d} train_mse {sum(run)/len(run):.4f} val_mse {vm:.4f}")
print(f"probe: first non-finite loss at step {first_bad}")
with torch.no_grad():
    tm = loss_fn(net((xtr - mean_all) / std_all).squeeze(1), ytr).item()


def r(v):
    return round(v, 4) if math.isfinite(v) else None


print("CORPUS_METRIC " + json.dumps({"val_mse": r(vm), "train_mse": r(tm), "target_var": round(yva.var().item(), 4)}))
