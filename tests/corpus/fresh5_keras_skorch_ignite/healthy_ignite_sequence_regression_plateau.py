"""pytorch-ignite: 1-D CNN + GRU forecaster for a noisy seasonal series, RMSprop + plateau scheduler.

Windows of 48 steps from synthetic sensor series (trend + two seasonalities + AR noise), target =
the mean of the next 4 steps. A custom Engine update (with gradient clipping at 5.0) trains it,
create_supervised_evaluator evaluates with ignite MeanSquaredError / MeanAbsoluteError, lr reduced on plateau
with ignite.handlers.ReduceLROnPlateauScheduler; per-epoch metrics written as CSV.
"""
# expect:
# allow:
# forbid: *
# evidence: held-out val_mse 0.141 against target variance 0.669 (R^2 0.79; the AR(0.7) noise in the next 4 steps is partly unpredictable), train_loss 0.148 ~ val_mse (no gap)
# native-log: forecast_metrics.csv
# log-expect:
# log-allow:
import os
import sys
import csv
import json
import tempfile

import numpy as np
import torch
from torch import nn
from torch.utils.data import TensorDataset, DataLoader

torch.set_num_threads(1)
torch.manual_seed(6)
from ignite.engine import Engine, Events, create_supervised_evaluator
from ignite.handlers import ReduceLROnPlateauScheduler
from ignite.metrics import MeanSquaredError, MeanAbsoluteError

logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(logdir, exist_ok=True)
W, H = 48, 4


def series(n_series, length, rs):
    t = np.arange(length)
    out = []
    for _ in range(n_series):
        p1, p2 = rs.uniform(10, 14), rs.uniform(30, 40)
        ar = np.zeros(length)
        e = rs.normal(0, 0.3, length)
        for i in range(1, length):
            ar[i] = 0.7 * ar[i - 1] + e[i]
        s = (rs.uniform(-0.01, 0.01) * t + rs.uniform(0.5, 1.5) * np.sin(2 * np.pi * t / p1 + rs.uniform(0, 6))
             + rs.uniform(0.3, 1.0) * np.sin(2 * np.pi * t / p2 + rs.uniform(0, 6)) + ar)
        out.append(s)
    return np.array(out)


def windows(S, step=3):
    xs, ys = [], []
    for s in S:
        for i in range(0, len(s) - W - H, step):
            xs.append(s[i:i + W])
            ys.append(s[i + W:i + W + H].mean())
    return np.array(xs, np.float32)[..., None], np.array(ys, np.float32)[:, None]


rs = np.random.RandomState(0)
Xtr, ytr = windows(series(30, 300, rs))
Xva, yva = windows(series(8, 300, rs))
mu, sd = Xtr.mean(), Xtr.std()
Xtr, Xva, ytr, yva = (Xtr - mu) / sd, (Xva - mu) / sd, (ytr - mu) / sd, (yva - mu) / sd


class Forecaster(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(1, 16, 5, padding=2), nn.ReLU())
        self.gru = nn.GRU(16, 32, batch_first=True)
        self.out = nn.Linear(32, 1)

    def forward(self, x):
        h = self.conv(x.transpose(1, 2)).transpose(1, 2)
        _, last = self.gru(h)
        return self.out(last[-1])


model = Forecaster()
opt = torch.optim.RMSprop(model.parameters(), lr=2e-3)
loss_fn = nn.MSELoss()


def update(engine, batch):
    model.train()
    x, y = batch
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 5.0)
    opt.step()
    return loss.item()


trainer = Engine(update)
evaluator = create_supervised_evaluator(model, metrics={"mse": MeanSquaredError(), "mae": MeanAbsoluteError()})
plateau = ReduceLROnPlateauScheduler(opt, metric_name="mse", mode="min", factor=0.5, patience=1, trainer=trainer)
evaluator.add_event_handler(Events.COMPLETED, plateau)
train_loader = DataLoader(TensorDataset(torch.from_numpy(Xtr), torch.from_numpy(ytr)), batch_size=64, shuffle=True)
val_loader = DataLoader(TensorDataset(torch.from_numpy(Xva), torch.from_numpy(yva)), batch_size=512)
hist = []
sum_loss = {"s": 0.0, "n": 0}


@trainer.on(Events.ITERATION_COMPLETED)
def acc(engine):
    sum_loss["s"] += engine.state.output
    sum_loss["n"] += 1


@trainer.on(Events.EPOCH_COMPLETED)
def validate(engine):
    lr = opt.param_groups[0]["lr"]
    evaluator.run(val_loader)
    m = evaluator.state.metrics
    hist.append({"epoch": engine.state.epoch, "lr": lr, "train_loss": sum_loss["s"] / sum_loss["n"],
                 "val_mse": m["mse"], "val_mae": m["mae"]})
    sum_loss.update(s=0.0, n=0)
    print(hist[-1])


trainer.run(train_loader, max_epochs=10)
with open(os.path.join(logdir, "forecast_metrics.csv"), "w", newline="") as f:
    wr = csv.DictWriter(f, fieldnames=list(hist[0]))
    wr.writeheader()
    wr.writerows(hist)
print("CORPUS_METRIC " + json.dumps({"val_mse": round(hist[-1]["val_mse"], 4), "val_loss": round(hist[-1]["val_mse"], 4),
                                     "train_loss": round(hist[-1]["train_loss"], 4),
                                     "target_var": round(float(yva.var()), 4)}))
