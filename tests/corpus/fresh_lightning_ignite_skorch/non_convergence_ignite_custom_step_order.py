# expect: non_convergence
# allow: learning_rate_too_low, high_bias, vanishing_gradients
# forbid: *
# evidence: planted (zero_grad between backward and step) val_loss 1.6229 identical at all 8 epochs, val_acc 0.198 (chance 0.20); control (zero_grad first, Adam 4e-3) val_loss 1.070 -> 0.092, val_acc 0.978
# control: --control
# native-log: log.jsonl
# log-expect: non_convergence
# log-allow: learning_rate_too_low, high_bias
"""Custom pytorch-ignite Engine (own process_function, as people write for AMP / extra logging)
for a 5-class gesture-like time-series classifier (GRU over 30 steps of 3-axis signals).

Planted bug in train_step: optimizer.zero_grad() sits between loss.backward() and
optimizer.step(), so every step applies a zero gradient and the model never moves.
--control puts zero_grad() first, which is the only difference.
Logged as JSONL: RunningAverage loss every 15 iterations, evaluator metrics every epoch."""
import argparse
import json
import math
import os
import tempfile

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from ignite.engine import Engine, Events, create_supervised_evaluator
from ignite.metrics import Accuracy, Loss, RunningAverage
from ignite.utils import manual_seed

torch.set_num_threads(1)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="gesture_")
T, C, K = 30, 3, 5


def gestures(n, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, K, (n,), generator=g)
    t = torch.linspace(0, 1, T)
    freq = (1.0 + y.float()).unsqueeze(1) + 0.2 * torch.randn(n, 1, generator=g)
    phase = 2 * math.pi * torch.rand(n, 1, generator=g)
    base = torch.sin(2 * math.pi * freq * t + phase)                       # n x T
    axes = torch.stack([base, torch.cos(2 * math.pi * freq * t + phase) * (y % 2).float().unsqueeze(1),
                        (y.float().unsqueeze(1) / K) * torch.ones(n, T)], 2)
    return axes + 0.4 * torch.randn(n, T, C, generator=g), y


class GRUClassifier(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.gru = nn.GRU(C, hidden, batch_first=True)
        self.out = nn.Linear(hidden, K)

    def forward(self, x):
        _, h = self.gru(x)
        return self.out(h[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="zero_grad before backward")
    args = ap.parse_args()
    manual_seed(13)

    train_loader = DataLoader(TensorDataset(*gestures(1500, seed=1)), batch_size=50, shuffle=True)
    val_loader = DataLoader(TensorDataset(*gestures(500, seed=2)), batch_size=250)

    model = GRUClassifier()
    optimizer = torch.optim.Adam(model.parameters(), lr=4e-3)
    criterion = nn.CrossEntropyLoss()

    def train_step(engine, batch):
        model.train()
        x, y = batch
        if args.control:
            optimizer.zero_grad()
        logits = model(x)
        loss = criterion(logits, y)
        loss.backward()
        if not args.control:
            optimizer.zero_grad()          # BUG: wipes the gradients that were just computed
        optimizer.step()
        return {"loss": loss.item(), "acc": (logits.argmax(1) == y).float().mean().item()}

    trainer = Engine(train_step)
    RunningAverage(output_transform=lambda out: out["loss"]).attach(trainer, "loss")
    RunningAverage(output_transform=lambda out: out["acc"]).attach(trainer, "acc")
    evaluator = create_supervised_evaluator(model, metrics={"accuracy": Accuracy(), "loss": Loss(criterion)})

    log = open(os.path.join(LOG_DIR, "log.jsonl"), "w")

    @trainer.on(Events.ITERATION_COMPLETED(every=15))
    def log_running(engine):
        log.write(json.dumps({"split": "train", "epoch": engine.state.epoch, "iteration": engine.state.iteration,
                              "loss": round(engine.state.metrics["loss"], 5),
                              "acc": round(engine.state.metrics["acc"], 4),
                              "lr": optimizer.param_groups[0]["lr"]}) + "\n")

    @trainer.on(Events.EPOCH_COMPLETED)
    def log_validation(engine):
        evaluator.run(val_loader)
        m = evaluator.state.metrics
        log.write(json.dumps({"split": "val", "epoch": engine.state.epoch, "iteration": engine.state.iteration,
                              "loss": round(m["loss"], 5), "acc": round(m["accuracy"], 4)}) + "\n")
        log.flush()

    trainer.run(train_loader, max_epochs=8)
    log.close()

    evaluator.run(val_loader)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(evaluator.state.metrics["loss"], 4),
        "val_acc": round(evaluator.state.metrics["accuracy"], 4),
        "train_loss_running": round(trainer.state.metrics["loss"], 4),
        "chance_acc": round(1 / K, 4),
    }))


if __name__ == "__main__":
    main()
