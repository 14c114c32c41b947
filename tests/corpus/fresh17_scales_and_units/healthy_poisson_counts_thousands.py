# expect:
# allow:
# forbid: *
# evidence: healthy; Poisson NLL is large and negative (-11082 -> about -11520) as expected for counts ~1700; deviance explained 0.998 (val deviance 1.35 vs null 681.7), val_mae 37 on mean 1732
# native-log: poisson/metrics.csv
# log-expect:
# log-allow:
"""Daily counts in the thousands (bike rentals-like, ~300..8000) modelled with PoissonNLLLoss(log_input=True).
The network predicts log(rate); the loss omits the Stirling term, so it is a large NEGATIVE number
(about -20000) that keeps decreasing - healthy. Deviance explained is the real quality metric."""
import os, sys, json, random, tempfile, csv, math
import numpy as np, torch, torch.nn as nn
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(os.path.join(LOG_DIR, "poisson"), exist_ok=True)
g = torch.Generator().manual_seed(0)
def sample(n):
    temp = torch.rand(n, generator=g) * 30; hum = torch.rand(n, generator=g); wk = (torch.rand(n, generator=g) < 5 / 7).float(); season = torch.rand(n, generator=g) * 2 * math.pi
    lograte = 6.5 + 0.06 * temp - 0.0012 * temp ** 2 * 0 - 0.8 * hum + 0.3 * wk + 0.4 * torch.sin(season)
    y = torch.poisson(torch.exp(lograte), generator=g)
    X = torch.stack([(temp - 15) / 8.7, (hum - 0.5) / 0.29, wk - 0.7, torch.sin(season), torch.cos(season)], 1)
    return X, y
Xtr, ytr = sample(1500); Xva, yva = sample(500)
model = nn.Sequential(nn.Linear(5, 32), nn.Tanh(), nn.Linear(32, 1))
with torch.no_grad(): model[2].bias.fill_(math.log(ytr.mean().item()))
opt = torch.optim.Adam(model.parameters(), lr=5e-3)
lossf = nn.PoissonNLLLoss(log_input=True)
def deviance(mu, y):
    return float((2 * (torch.where(y > 0, y * torch.log(y / mu), torch.zeros_like(y)) - (y - mu))).mean())
f = open(os.path.join(LOG_DIR, "poisson", "metrics.csv"), "w", newline=""); w = csv.writer(f); w.writerow(["epoch", "step", "train_poisson_nll", "val_poisson_nll", "val_deviance"])
step = 0
for epoch in range(30):
    perm = torch.randperm(1500); tot = 0.0
    for i in range(0, 1500, 50):
        idx = perm[i:i + 50]; loss = lossf(model(Xtr[idx]).squeeze(1), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1; tot += loss.item() * len(idx)
    with torch.no_grad():
        lr_ = model(Xva).squeeze(1); vl = lossf(lr_, yva).item(); dev = deviance(lr_.exp(), yva)
    w.writerow([epoch, step, round(tot / 1500, 3), round(vl, 3), round(dev, 3)]); f.flush()
    print(f"epoch {epoch:2d} train_nll {tot / 1500:.2f} val_nll {vl:.2f} val_deviance {dev:.2f}")
f.close()
null_dev = deviance(torch.full_like(yva, ytr.mean().item()), yva)
with torch.no_grad(): pv = model(Xva).squeeze(1).exp(); mae = float((pv - yva).abs().mean()); vmse = float(((pv - yva) ** 2).mean())
print("CORPUS_METRIC " + json.dumps({"val_poisson_nll": round(vl, 2), "val_deviance": round(dev, 3), "null_deviance": round(null_dev, 3),
                                    "deviance_explained": round(1 - dev / null_dev, 4), "val_mae": round(mae, 2), "target_mean": round(yva.mean().item(), 1),
                                    "val_mse": round(vmse, 1), "target_var": round(yva.var().item(), 1)}))
