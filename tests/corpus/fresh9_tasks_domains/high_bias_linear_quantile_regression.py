# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: linear model plateaus at train pinball 0.118 / val 0.117 from epoch ~15 (no gap), median off the true conditional median by 3.0 min. Control (MLP): train 0.075 / val 0.074, median error 0.56 min, 90% coverage 0.936
# control: --control
# Quantile regression (q=0.05/0.5/0.95) for delivery times with a strongly non-linear dependence on
# distance and hour-of-day. Planted: the model is a single nn.Linear (linear quantile regression),
# which cannot express the rush-hour bumps. --control swaps in a 2-hidden-layer MLP.
import argparse, json, math
import torch
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true")
parser.add_argument("--epochs", type=int, default=30)
cfg = parser.parse_args()
torch.manual_seed(77)
torch.set_num_threads(1)
qs = torch.tensor([0.05, 0.5, 0.95])


def deliveries(n, g):
    dist = torch.rand(n, generator=g) * 10           # km
    hour = torch.rand(n, generator=g) * 24
    rush = torch.exp(-((hour - 8) ** 2) / 2) + 1.3 * torch.exp(-((hour - 18) ** 2) / 3)
    median = 10 + 6 * torch.sqrt(dist) + 15 * rush * (dist > 3).float()
    spread = 2 + 6 * rush
    t = median + spread * torch.randn(n, generator=g)
    x = torch.stack([(dist - 5) / 2.9, torch.sin(2 * math.pi * hour / 24), torch.cos(2 * math.pi * hour / 24)], 1)
    return x, (t - 25) / 10, (median - 25) / 10


g = torch.Generator().manual_seed(0)
xtr, ytr, _ = deliveries(4000, g)
xva, yva, med_va = deliveries(1000, g)

if cfg.control:
    model = nn.Sequential(nn.Linear(3, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3))
else:
    model = nn.Linear(3, 3)
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)


def pinball(pred, y):
    e = y[:, None] - pred
    return torch.max(qs * e, (qs - 1) * e).mean()


for ep in range(cfg.epochs):
    for xb, yb in zip(xtr.split(100), ytr.split(100)):
        loss = pinball(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        tr = pinball(model(xtr), ytr).item()
        pv = model(xva)
        va = pinball(pv, yva).item()
        cov = ((yva >= pv[:, 0]) & (yva <= pv[:, 2])).float().mean().item()
    if ep % 5 == 4:
        print(f"ep {ep + 1}: train_pinball {tr:.4f} val_pinball {va:.4f} coverage90 {cov:.3f}")

with torch.no_grad():
    mae = (pv[:, 1] - med_va).abs().mean().item() * 10
print(f"median error vs true conditional median: {mae:.2f} minutes")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(va, 4), "train_loss": round(tr, 4), "coverage_90": round(cov, 4),
                                      "median_mae_minutes": round(mae, 3)}))
