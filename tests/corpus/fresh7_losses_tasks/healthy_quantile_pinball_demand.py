# expect:
# allow:
# forbid: *
# evidence: val mean pinball 0.206 vs 0.346 for the unconditional train quantiles; train 0.203 (no gap); held-out [q10,q90] coverage 0.795 (target 0.80)
# native-log: quantile_run.csv
# log-expect:
# log-allow:
"""Healthy: multi-quantile (pinball loss) forecasting of daily demand, q = 0.1 / 0.5 / 0.9.

Features: standardised day-of-week one-hot, seasonal sin/cos, price, promo flag, lagged demand;
the target noise grows with the level (heteroscedastic).  MLP with 3 outputs, hand-written pinball
loss averaged over quantiles, Adam lr=1e-3, step decay x0.2 at epoch 10, 15 epochs.  Metrics: held-out
mean pinball loss (reference: the unconditional train quantiles), and the coverage of [q10, q90]
(target 0.80).  Writes its own CSV log with its own column names.
"""
import csv, json, math, os, tempfile
import torch, torch.nn as nn

torch.set_num_threads(1); torch.manual_seed(0)
QS = torch.tensor([0.1, 0.5, 0.9])

def make(n, g):
    dow = torch.randint(0, 7, (n,), generator=g); t = torch.rand(n, generator=g) * 2 * math.pi
    price = torch.rand(n, generator=g); promo = (torch.rand(n, generator=g) < 0.15).float()
    lag = torch.randn(n, generator=g)
    level = 3 + torch.sin(t) + 0.6 * torch.cos(2 * t) + 0.4 * (dow >= 5).float() - 1.2 * price + 1.0 * promo + 0.5 * lag
    y = level + (0.15 + 0.25 * level.clamp(min=0)) * torch.randn(n, generator=g)
    x = torch.cat([nn.functional.one_hot(dow, 7).float(), torch.stack([torch.sin(t), torch.cos(t), torch.sin(2 * t), torch.cos(2 * t), (price - 0.5) / 0.29, promo, lag], 1)], 1)
    return x, y

g = torch.Generator().manual_seed(1)
xtr, ytr = make(6000, g); xva, yva = make(2000, g)
ym, ys = ytr.mean(), ytr.std()

def pinball(pred, y):
    e = y.unsqueeze(1) - pred
    return torch.maximum(QS * e, (QS - 1) * e).mean()

model = nn.Sequential(nn.Linear(xtr.shape[1], 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
sch = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.2)
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(logdir, exist_ok=True)
f = open(os.path.join(logdir, "quantile_run.csv"), "w", newline=""); w = csv.writer(f)
w.writerow(["epoch", "learning_rate", "pinball_fit", "pinball_holdout", "coverage80_holdout"])
for ep in range(15):
    perm = torch.randperm(len(xtr)); tot = 0.0; nb = 0
    for i in range(0, len(xtr), 128):
        b = perm[i:i + 128]; loss = pinball(model(xtr[b]) * ys + ym, ytr[b])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item(); nb += 1
    lr_used = opt.param_groups[0]["lr"]; sch.step()
    with torch.no_grad():
        pv = model(xva) * ys + ym; vl = float(pinball(pv, yva)); cov = float(((yva >= pv[:, 0]) & (yva <= pv[:, 2])).float().mean())
    w.writerow([ep + 1, lr_used, round(tot / nb, 5), round(vl, 5), round(cov, 4)]); f.flush()
    print(f"epoch {ep+1} pinball {tot/nb:.4f} val_pinball {vl:.4f} cov80 {cov:.3f}")
with torch.no_grad(): tl = float(pinball(model(xtr) * ys + ym, ytr))
base = float(pinball(torch.quantile(ytr, QS).expand(len(yva), 3), yva))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_coverage_80": round(cov, 4), "train_loss": round(tl, 4), "unconditional_quantile_loss": round(base, 4), "target_var": round(float(yva.var()), 4)}))
