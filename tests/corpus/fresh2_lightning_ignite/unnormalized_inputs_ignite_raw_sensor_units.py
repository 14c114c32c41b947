# expect: unnormalized_inputs
# allow: high_bias, non_convergence, dead_units, saturated_activations, exploding_gradients
# forbid: *
# evidence: planted (raw units, up to ~1e5): epoch-1 train_loss 348, final val_acc 0.614, val_loss 6.72 (majority 0.38); control (train-set standardisation): val_acc 0.956, val_loss 0.128
# control: --control
# native-log: epoch_log.csv
# log-expect:
# log-allow: unnormalized_inputs, high_bias, non_convergence, learning_rate_too_high
"""HVAC fault classifier (3 states) from raw building-sensor readings, pytorch-ignite.

The features are fed in their physical units: pressure in Pa (~1e5), time of day in seconds
(0..86400), CO2 in ppm (~400..2000), supply temperature in K (~290), humidity in %, fan speed
in rpm (~1500), and two power readings in W. --control standardises every column with the
training-set mean/std (the only change).
"""
import argparse
import csv
import json
import math
import os
import tempfile

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from ignite.engine import Engine, Events
from ignite.handlers import PiecewiseLinear
from ignite.metrics import Accuracy, Loss

#            pressure   t_day    co2     T_supply  RH    fan_rpm  P_fan  P_comp
MEAN = torch.tensor([101325., 43200., 900., 291.0, 45., 1500., 800., 2500.])
SCALE = torch.tensor([1500., 24000., 350., 4.0, 15., 300., 200., 900.])


def readings(n, g, mix):
    z = torch.randn(n, 8, generator=g) @ mix
    z = z / z.std(0, keepdim=True)
    # fault state from a nonlinear rule on the *physical* deviations
    s0 = z[:, 3] - 0.8 * z[:, 6] + 0.5 * z[:, 2] * z[:, 5]
    s1 = z[:, 0] + z[:, 7] - 0.6 * torch.sin(2 * z[:, 1])
    y = torch.zeros(n, dtype=torch.long)
    y[(s0 > 0.3) & (s0 >= s1)] = 1
    y[(s1 > 0.3) & (s1 > s0)] = 2
    x = MEAN + SCALE * z            # what the data logger actually stores
    return x, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(23)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="ig_hvac_")
    os.makedirs(log_dir, exist_ok=True)
    log_path = os.path.join(log_dir, "epoch_log.csv")

    g = torch.Generator().manual_seed(23)
    mix = torch.eye(8) + 0.25 * torch.randn(8, 8, generator=g)
    xtr, ytr = readings(3000, g, mix)
    xva, yva = readings(1000, g, mix)

    if args.control:
        mu, sd = xtr.mean(0), xtr.std(0)
        xtr, xva = (xtr - mu) / sd, (xva - mu) / sd

    train_loader = DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True)
    val_loader = DataLoader(TensorDataset(xva, yva), batch_size=500)

    net = nn.Sequential(
        nn.Linear(8, 64), nn.ReLU(),
        nn.Linear(64, 64), nn.ReLU(),
        nn.Linear(64, 3),
    )
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    crit = nn.CrossEntropyLoss()
    epochs = 20

    def train_step(engine, batch):
        net.train()
        xb, yb = batch
        opt.zero_grad()
        loss = crit(net(xb), yb)
        loss.backward()
        opt.step()
        return loss.item()

    trainer = Engine(train_step)
    n_iter = len(train_loader) * epochs
    trainer.add_event_handler(Events.ITERATION_STARTED, PiecewiseLinear(
        opt, "lr", milestones_values=[(0, 2e-3), (int(0.6 * n_iter), 2e-3), (n_iter, 2e-4)]))

    def validation_step(engine, batch):
        net.eval()
        with torch.no_grad():
            xb, yb = batch
            return net(xb), yb

    evaluator = Engine(validation_step)
    Accuracy().attach(evaluator, "accuracy")
    Loss(crit).attach(evaluator, "ce")

    losses = []
    trainer.add_event_handler(Events.ITERATION_COMPLETED, lambda e: losses.append(e.state.output))

    with open(log_path, "w", newline="") as f:
        csv.writer(f).writerow(["epoch", "lr", "train_loss", "val_loss", "val_accuracy"])

    @trainer.on(Events.EPOCH_COMPLETED)
    def on_epoch(engine):
        evaluator.run(val_loader)
        m = evaluator.state.metrics
        tl = sum(losses) / len(losses)
        losses.clear()
        lr = opt.param_groups[0]["lr"]
        print(f"Epoch {engine.state.epoch}: train_loss={tl:.4f} val_loss={m['ce']:.4f} val_acc={m['accuracy']:.4f}")
        with open(log_path, "a", newline="") as f:
            csv.writer(f).writerow([engine.state.epoch, lr, tl, m["ce"], m["accuracy"]])

    trainer.run(train_loader, max_epochs=epochs)

    evaluator.run(val_loader)
    val = dict(evaluator.state.metrics)
    evaluator.run(DataLoader(TensorDataset(xtr, ytr), batch_size=1000))
    tr = dict(evaluator.state.metrics)
    chance = torch.bincount(yva, minlength=3).max().item() / len(yva)
    res = {"val_loss": val["ce"], "val_acc": val["accuracy"], "train_loss": tr["ce"],
           "train_acc": tr["accuracy"], "chance_acc": chance}
    if not math.isfinite(res["val_loss"]):
        res["val_loss"] = None
    print("CORPUS_METRIC " + json.dumps({k: (round(v, 4) if isinstance(v, float) else v) for k, v in res.items()}))


if __name__ == "__main__":
    main()
