# expect:
# allow:
# forbid: *
# evidence: val pinball 0.219 vs constant-quantile baseline 0.484; 80% interval covers 0.812 of held-out points; median MAE to the true conditional median 0.089 (noise scale 0.2-1.6); no quantile crossing
# Heteroscedastic regression with quantile outputs (q = 0.1, 0.5, 0.9) trained with the pinball loss.
# Checks: empirical coverage of the [q0.1, q0.9] interval on held-out data (~0.80 expected), and the
# median's MAE against the conditional-median oracle.
import json
import numpy as np
import torch
import torch.nn as nn

QUANTILES = torch.tensor([0.1, 0.5, 0.9])
torch.manual_seed(9)
np.random.seed(9)
torch.set_num_threads(1)


def make(n):
    x = np.random.uniform(-3, 3, (n, 4)).astype(np.float32)
    mean = np.sin(x[:, 0]) * 2 + 0.5 * x[:, 1]
    scale = 0.2 + 0.4 * np.abs(x[:, 0]) + 0.2 * (x[:, 2] > 0)
    y = mean + scale * np.random.standard_normal(n).astype(np.float32)
    return torch.from_numpy(x / 1.73), torch.from_numpy(y.astype(np.float32)), torch.from_numpy(mean.astype(np.float32))


def pinball(pred, y):
    diff = y.unsqueeze(1) - pred
    return torch.maximum(QUANTILES * diff, (QUANTILES - 1) * diff).mean()


x_tr, y_tr, _ = make(4000)
x_va, y_va, med_va = make(1000)

model = nn.Sequential(nn.Linear(4, 96), nn.SiLU(), nn.Linear(96, 96), nn.SiLU(), nn.Linear(96, 3))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
warmup = 100
total = 25 * (len(x_tr) // 100)
sched = torch.optim.lr_scheduler.LambdaLR(
    opt, lambda s: min(1.0, (s + 1) / warmup) * 0.5 * (1 + np.cos(np.pi * min(s, total) / total)))

step = 0
for epoch in range(25):
    perm = torch.randperm(len(x_tr))
    for i in range(0, len(x_tr), 100):
        b = perm[i:i + 100]
        loss = pinball(model(x_tr[b]), y_tr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        step += 1
    with torch.no_grad():
        p = model(x_va)
        vloss = pinball(p, y_va).item()
        cover = ((y_va >= p[:, 0]) & (y_va <= p[:, 2])).float().mean().item()
    if epoch % 4 == 0 or epoch == 24:
        print(f"epoch {epoch:2d} train_pinball {loss.item():.4f} val_pinball {vloss:.4f} coverage80 {cover:.3f}")

with torch.no_grad():
    tr_loss = pinball(model(x_tr), y_tr).item()
    mae_med = (p[:, 1] - med_va).abs().mean().item()
    crossing = (p[:, 0] > p[:, 2]).float().mean().item()
    const = torch.quantile(y_tr, QUANTILES)
    const_loss = pinball(const.expand(len(y_va), 3), y_va).item()
print(f"constant-quantile baseline val pinball {const_loss:.4f}; quantile crossing rate {crossing:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "train_loss": round(tr_loss, 4),
                                      "coverage_80": round(cover, 4), "median_mae_vs_oracle": round(mae_med, 4),
                                      "constant_baseline_val_loss": round(const_loss, 4)}))
