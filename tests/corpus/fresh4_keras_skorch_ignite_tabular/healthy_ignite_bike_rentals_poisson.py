# expect:
# allow:
# forbid: *
# evidence: hourly bike-rental counts, Poisson NLL with log-link MLP: val mean Poisson deviance 1.18 vs 13.5 for a constant-rate model (deviance of the true generating rates 1.03)
# native-log: epochs.csv
# log-expect:
# log-allow:
"""Hourly bike rentals (counts) from calendar + weather columns, trained with pytorch-ignite."""
import csv
import json
import math
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from ignite.engine import Events, create_supervised_evaluator, create_supervised_trainer
from ignite.handlers import EarlyStopping
from ignite.metrics import Loss

torch.set_num_threads(1)
torch.manual_seed(0)
rng = np.random.default_rng(0)

n = 6000
hour = rng.integers(0, 24, n)
weekday = rng.integers(0, 7, n)
temp_c = rng.normal(16, 8, n)
humidity = rng.uniform(20, 100, n)
wind_kmh = rng.gamma(2.0, 6.0, n)
rain = (rng.random(n) < 0.12).astype(float)
workday = (weekday < 5).astype(float)
commute = workday * (np.exp(-((hour - 8) ** 2) / 3.0) + 1.2 * np.exp(-((hour - 17.5) ** 2) / 4.0))
leisure = (1 - workday) * np.exp(-((hour - 14) ** 2) / 12.0)
log_rate = (1.0 + 2.2 * commute + 1.8 * leisure + 0.05 * temp_c - 0.0018 * (temp_c - 22) ** 2 * 3
            - 0.9 * rain - 0.008 * humidity - 0.015 * wind_kmh + 0.6 * np.exp(-((hour - 12) ** 2) / 30.0))
rate = np.exp(log_rate)
count = rng.poisson(rate)

feats = np.column_stack([np.sin(2 * np.pi * hour / 24), np.cos(2 * np.pi * hour / 24),
                         np.sin(2 * np.pi * weekday / 7), np.cos(2 * np.pi * weekday / 7), workday,
                         (temp_c - 16) / 8, (humidity - 60) / 23, (wind_kmh - 12) / 8.5, rain])
X = torch.tensor(feats, dtype=torch.float32)
y = torch.tensor(count, dtype=torch.float32)
train_ds = TensorDataset(X[:4800], y[:4800])
val_ds = TensorDataset(X[4800:], y[4800:])
train_loader = DataLoader(train_ds, batch_size=64, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=512)


class LogRateMLP(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(d, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 1))

    def forward(self, x):
        return self.f(x).squeeze(-1)   # log of the expected count


model = LogRateMLP(X.shape[1])
with torch.no_grad():
    model.f[-1].bias.fill_(math.log(float(y[:4800].mean())))
criterion = nn.PoissonNLLLoss(log_input=True, full=True)
optimizer = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=1e-5)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=12, gamma=0.3)

trainer = create_supervised_trainer(model, optimizer, criterion)
evaluator = create_supervised_evaluator(model, metrics={"nll": Loss(criterion)})
train_eval = create_supervised_evaluator(model, metrics={"nll": Loss(criterion)})

log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
log_path = os.path.join(log_dir, "epochs.csv")
with open(log_path, "w", newline="") as fh:
    csv.writer(fh).writerow(["epoch", "train_loss", "val_loss", "lr"])


@trainer.on(Events.EPOCH_COMPLETED)
def log_epoch(engine):
    train_eval.run(train_loader)
    evaluator.run(val_loader)
    row = [engine.state.epoch, train_eval.state.metrics["nll"], evaluator.state.metrics["nll"],
           optimizer.param_groups[0]["lr"]]
    with open(log_path, "a", newline="") as fh:
        csv.writer(fh).writerow(row)
    scheduler.step()


stopper = EarlyStopping(patience=5, score_function=lambda e: -e.state.metrics["nll"], trainer=trainer)
evaluator.add_event_handler(Events.COMPLETED, stopper)
trainer.run(train_loader, max_epochs=30)


def poisson_deviance(mu, k):
    k = k.double(); mu = mu.double()
    term = torch.where(k > 0, k * torch.log(k / mu), torch.zeros_like(k))
    return float(2 * (term - (k - mu)).mean())


model.eval()
with torch.no_grad():
    mu_val = torch.exp(model(X[4800:]))
dev = poisson_deviance(mu_val, y[4800:])
dev_const = poisson_deviance(torch.full_like(y[4800:], float(y[:4800].mean())), y[4800:])
dev_true = poisson_deviance(torch.tensor(rate[4800:]), y[4800:])
print(f"epochs {trainer.state.epoch}; val deviance {dev:.3f}  constant {dev_const:.3f}  true-rate {dev_true:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(evaluator.state.metrics["nll"], 4),
                                      "val_poisson_deviance": round(dev, 4), "const_model_deviance": round(dev_const, 4),
                                      "true_rate_deviance": round(dev_true, 4)}))
