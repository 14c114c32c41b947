# expect:
# allow:
# forbid: *
# evidence: held-out Poisson deviance 1.150 vs intercept-only 3.833 and true-rate oracle 1.122 (D^2 0.70); val NLL 1.853 still falling, train 1.847
# Count regression ("bike rentals per hour"): features = hour-of-day (sin/cos), weekday flag,
# temperature, humidity, rain flag (standardised). Network outputs log-rate; PoissonNLLLoss(log_input=True).
# Evaluated by held-out Poisson deviance relative to the intercept-only model (D^2) and vs. the true rate.
import json
import math
import torch
from torch import nn

torch.manual_seed(31)
torch.set_num_threads(1)


def simulate(n, g):
    hour = torch.randint(0, 24, (n,), generator=g).float()
    weekday = (torch.rand(n, generator=g) < 5 / 7).float()
    temp = 15 + 8 * torch.randn(n, generator=g)
    hum = torch.rand(n, generator=g)
    rain = (torch.rand(n, generator=g) < 0.15).float()
    commute = weekday * (torch.exp(-((hour - 8) ** 2) / 3) + torch.exp(-((hour - 17.5) ** 2) / 4))
    leisure = (1 - weekday) * torch.exp(-((hour - 14) ** 2) / 12)
    log_rate = 1.0 + 1.8 * commute + 1.4 * leisure + 0.05 * (temp - 15) - 0.6 * hum - 1.0 * rain
    y = torch.poisson(torch.exp(log_rate), generator=g)
    X = torch.stack([torch.sin(2 * math.pi * hour / 24), torch.cos(2 * math.pi * hour / 24),
                     torch.sin(4 * math.pi * hour / 24), torch.cos(4 * math.pi * hour / 24),
                     weekday, (temp - 15) / 8, (hum - 0.5) / 0.29, rain], 1)
    return X, y, torch.exp(log_rate)


g = torch.Generator().manual_seed(0)
Xtr, ytr, _ = simulate(5000, g)
Xva, yva, rate_va = simulate(1500, g)
print(f"mean count {ytr.mean():.2f}, max {ytr.max():.0f}")

net = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
nn.init.constant_(net[-1].bias, math.log(ytr.mean().item()))
crit = nn.PoissonNLLLoss(log_input=True, full=True)
optim = torch.optim.Adam(net.parameters(), lr=2e-3)


def deviance(mu, y):
    term = torch.where(y > 0, y * torch.log(y / mu), torch.zeros_like(y))
    return (2 * (term - (y - mu))).mean().item()


for epoch in range(12):
    order = torch.randperm(len(Xtr))
    for i in range(0, len(order), 128):
        b = order[i:i + 128]
        loss = crit(net(Xtr[b]).squeeze(1), ytr[b])
        optim.zero_grad()
        loss.backward()
        optim.step()
    with torch.no_grad():
        va_loss = crit(net(Xva).squeeze(1), yva).item()
        tr_loss = crit(net(Xtr).squeeze(1), ytr).item()
    if epoch % 3 == 2:
        print(f"epoch {epoch + 1}: train_nll {tr_loss:.4f} val_nll {va_loss:.4f}")

with torch.no_grad():
    mu = net(Xva).squeeze(1).exp()
dev_model = deviance(mu, yva)
dev_null = deviance(torch.full_like(yva, ytr.mean().item()), yva)
dev_oracle = deviance(rate_va, yva)
print(f"deviance: model {dev_model:.4f}, intercept-only {dev_null:.4f}, true rate {dev_oracle:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(va_loss, 4), "train_loss": round(tr_loss, 4),
                                      "val_deviance": round(dev_model, 4), "null_deviance": round(dev_null, 4),
                                      "oracle_deviance": round(dev_oracle, 4), "d2": round(1 - dev_model / dev_null, 4)}))
