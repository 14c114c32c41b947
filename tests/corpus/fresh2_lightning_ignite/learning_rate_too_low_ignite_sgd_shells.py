# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (SGD lr=3e-4): val_loss 1.355 -> 1.345 over 22 epochs, val_acc 0.362 = majority rate 0.363; control (lr=0.1): val_acc 0.900, val_loss 0.286
# control: --control
# native-log: history.csv
# log-expect:
# log-allow: learning_rate_too_low, non_convergence, high_bias
"""4-class 'shell' problem (class = which radial band a point in 10-D falls into, modulated by
the sign of one coordinate), MLP trained with pytorch-ignite: plain SGD wrapped in ignite's
LRScheduler(ExponentialLR), evaluator with Accuracy/Loss, per-epoch CSV history.

Planted: base lr 3e-4 (a value meant for Adam) on plain SGD without momentum, so the loss crawls.
--control uses base lr 0.1; schedule, epochs, model, data and seed are unchanged.
"""
import argparse
import csv
import json
import os
import tempfile

import torch
import torch.nn as nn
from torch.optim.lr_scheduler import ExponentialLR
from torch.utils.data import DataLoader, TensorDataset

from ignite.engine import Engine, Events, create_supervised_evaluator
from ignite.handlers import LRScheduler
from ignite.metrics import Accuracy, Loss


def shells(n, g):
    x = torch.randn(n, 10, generator=g)
    r = x[:, :4].norm(dim=1)
    band = (r > 1.6).long() + (r > 2.3).long()          # 0,1,2
    # inner band flips to its own class 3 when x4 < 0
    y = torch.where(x[:, 4] > 0, band, torch.where(band == 0, torch.full_like(band, 3), band))
    return x, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(19)
    out_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="ig_lowlr_")
    os.makedirs(out_dir, exist_ok=True)
    hist = os.path.join(out_dir, "history.csv")

    g = torch.Generator().manual_seed(19)
    xtr, ytr = shells(3200, g)
    xva, yva = shells(1000, g)
    train_loader = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    val_loader = DataLoader(TensorDataset(xva, yva), batch_size=500)

    model = nn.Sequential(
        nn.Linear(10, 128), nn.ReLU(),
        nn.Linear(128, 128), nn.ReLU(),
        nn.Linear(128, 4),
    )
    base_lr = 0.1 if args.control else 3e-4
    optimizer = torch.optim.SGD(model.parameters(), lr=base_lr)
    loss_fn = nn.CrossEntropyLoss()

    def train_step(engine, batch):
        model.train()
        x, y = batch
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return {"loss": loss.item()}

    trainer = Engine(train_step)
    scheduler = LRScheduler(ExponentialLR(optimizer, gamma=0.93))
    trainer.add_event_handler(Events.EPOCH_COMPLETED, scheduler)

    evaluator = create_supervised_evaluator(model, metrics={"acc": Accuracy(), "nll": Loss(loss_fn)})

    running = {"sum": 0.0, "n": 0}

    @trainer.on(Events.ITERATION_COMPLETED)
    def accumulate(engine):
        running["sum"] += engine.state.output["loss"]
        running["n"] += 1

    with open(hist, "w", newline="") as f:
        csv.writer(f).writerow(["epoch", "lr", "train_loss", "val_loss", "val_acc"])

    @trainer.on(Events.EPOCH_COMPLETED)
    def report(engine):
        evaluator.run(val_loader)
        m = evaluator.state.metrics
        tl = running["sum"] / max(1, running["n"])
        running["sum"], running["n"] = 0.0, 0
        lr = optimizer.param_groups[0]["lr"]
        print(f"[{engine.state.epoch:2d}] lr={lr:.2e} train_loss={tl:.4f} val_loss={m['nll']:.4f} val_acc={m['acc']:.3f}")
        with open(hist, "a", newline="") as f:
            csv.writer(f).writerow([engine.state.epoch, lr, tl, m["nll"], m["acc"]])

    trainer.run(train_loader, max_epochs=22)

    evaluator.run(val_loader)
    val = dict(evaluator.state.metrics)
    evaluator.run(DataLoader(TensorDataset(xtr, ytr), batch_size=800))
    tr = dict(evaluator.state.metrics)
    chance = torch.bincount(yva, minlength=4).max().item() / len(yva)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(val["nll"], 4), "val_acc": round(val["acc"], 4),
        "train_loss": round(tr["nll"], 4), "train_acc": round(tr["acc"], 4),
        "chance_acc": round(chance, 4), "base_lr": base_lr,
    }))


if __name__ == "__main__":
    main()
