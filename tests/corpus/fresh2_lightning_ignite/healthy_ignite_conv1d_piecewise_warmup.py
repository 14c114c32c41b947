# expect:
# allow:
# forbid: *
# evidence: val_acc 0.980 (chance 0.25), val_loss 0.070, train_loss 0.023; val loss best region at the end of the linear decay
# native-log: ignite_history.csv
# log-expect:
# log-allow:
"""Vibration-signal classifier (4 fault types = 4 dominant frequency bands, random phase,
harmonics and sensor noise) with a small Conv1d net, written with pytorch-ignite: a hand-written
train_step, an evaluator with Accuracy/Loss, a PiecewiseLinear lr schedule (linear warm-up from
0 to 0.08 over the first epoch, then linear decay to 0), and an EPOCH_COMPLETED handler that
prints and appends to a CSV history.
"""
import csv
import json
import math
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

from ignite.engine import Engine, Events
from ignite.handlers import PiecewiseLinear
from ignite.metrics import Accuracy, Loss

LEN = 64


def signals(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(LEN).float()
    base = torch.tensor([4.0, 5.5, 7.0, 9.0])[y] + 0.6 * torch.rand(n, generator=g)
    phase = 2 * math.pi * torch.rand(n, 1, generator=g)
    w = 2 * math.pi * base[:, None] / LEN
    x = torch.sin(w * t + phase) + 0.4 * torch.sin(2 * w * t + 2 * phase)
    x = x + 1.2 * torch.randn(n, LEN, generator=g)
    return x.unsqueeze(1), y


class FaultNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv1d(1, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(),
            nn.Conv1d(16, 32, 5, padding=2, stride=2), nn.BatchNorm1d(32), nn.ReLU(),
            nn.Conv1d(32, 32, 5, padding=2, stride=2), nn.ReLU(),
        )
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        h = self.conv(x)
        return self.fc(h.mean(dim=-1))


def main():
    torch.set_num_threads(1)
    torch.manual_seed(3)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="ignite_conv1d_")
    os.makedirs(log_dir, exist_ok=True)
    hist_path = os.path.join(log_dir, "ignite_history.csv")

    g = torch.Generator().manual_seed(3)
    xtr, ytr = signals(2000, g)
    xva, yva = signals(600, g)
    train_loader = DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True)
    val_loader = DataLoader(TensorDataset(xva, yva), batch_size=300)

    model = FaultNet()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.08, momentum=0.9, nesterov=True, weight_decay=1e-4)
    criterion = nn.CrossEntropyLoss()
    max_epochs = 12
    iters = len(train_loader)

    def train_step(engine, batch):
        model.train()
        x, y = batch
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    trainer = Engine(train_step)

    def eval_step(engine, batch):
        model.eval()
        with torch.no_grad():
            x, y = batch
            return model(x), y

    evaluator = Engine(eval_step)
    Accuracy().attach(evaluator, "accuracy")
    Loss(criterion).attach(evaluator, "loss")

    sched = PiecewiseLinear(optimizer, "lr", milestones_values=[(0, 0.0), (iters, 0.08), (iters * max_epochs, 0.0)])
    trainer.add_event_handler(Events.ITERATION_STARTED, sched)

    epoch_losses = []

    @trainer.on(Events.EPOCH_STARTED)
    def reset_running(engine):
        epoch_losses.clear()

    @trainer.on(Events.ITERATION_COMPLETED)
    def collect(engine):
        epoch_losses.append(engine.state.output)

    with open(hist_path, "w", newline="") as fh:
        csv.writer(fh).writerow(["epoch", "iteration", "lr", "train_loss", "val_loss", "val_acc"])

    @trainer.on(Events.EPOCH_COMPLETED)
    def log_epoch(engine):
        evaluator.run(val_loader)
        m = evaluator.state.metrics
        tl = sum(epoch_losses) / len(epoch_losses)
        lr = optimizer.param_groups[0]["lr"]
        print(f"epoch {engine.state.epoch:02d} lr {lr:.4f} train_loss {tl:.4f} "
              f"val_loss {m['loss']:.4f} val_acc {m['accuracy']:.4f}")
        with open(hist_path, "a", newline="") as fh:
            csv.writer(fh).writerow([engine.state.epoch, engine.state.iteration, lr, tl, m["loss"], m["accuracy"]])

    trainer.run(train_loader, max_epochs=max_epochs)

    evaluator.run(val_loader)
    val = dict(evaluator.state.metrics)
    evaluator.run(DataLoader(TensorDataset(xtr, ytr), batch_size=500))
    tr = dict(evaluator.state.metrics)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(val["loss"], 4), "val_acc": round(val["accuracy"], 4),
        "train_loss": round(tr["loss"], 4), "train_acc": round(tr["accuracy"], 4), "chance_acc": 0.25,
    }))


if __name__ == "__main__":
    main()
