# expect:
# forbid: *
# evidence: noisy two-moons in 6-D (chance 0.5): val_loss falls 0.315 -> 0.041 (minimum at the end), val_acc 0.983, train_loss 0.018
# native-log: metrics.csv
# log-expect:
"""Custom ignite Engine (own process function) on a noisy two-moons problem embedded in 6-D.
Writes its own CSV log (step, train_loss, val_loss, val_acc) from event handlers."""
import csv
import json
import math
import os
import tempfile

import torch
from torch import nn
from ignite.engine import Engine, Events
from ignite.metrics import Accuracy, Loss, RunningAverage

torch.set_num_threads(1)
torch.manual_seed(8)
gen = torch.Generator().manual_seed(8)


def moons(n):
    y = torch.randint(0, 2, (n,), generator=gen)
    t = math.pi * torch.rand(n, generator=gen)
    x0 = torch.where(y == 0, torch.cos(t), 1 - torch.cos(t))
    x1 = torch.where(y == 0, torch.sin(t), 0.5 - torch.sin(t))
    pts = torch.stack([x0, x1], 1) + 0.15 * torch.randn(n, 2, generator=gen)
    noise = 0.5 * torch.randn(n, 4, generator=gen)
    return torch.cat([pts, noise], 1), y


X_train, Y_train = moons(1600)
X_val, Y_val = moons(400)


def batches(x, y, bs, shuffle):
    idx = torch.randperm(len(x)) if shuffle else torch.arange(len(x))
    for i in range(0, len(x), bs):
        j = idx[i:i + bs]
        yield x[j], y[j]


class Batches:
    """Re-iterable manual batching (ignite calls iter() once per epoch)."""
    def __init__(self, x, y, bs, shuffle):
        self.x, self.y, self.bs, self.shuffle = x, y, bs, shuffle

    def __iter__(self):
        return batches(self.x, self.y, self.bs, self.shuffle)

    def __len__(self):
        return math.ceil(len(self.x) / self.bs)


net = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
opt = torch.optim.Adam(net.parameters(), lr=3e-3)
loss_fn = nn.CrossEntropyLoss()


def train_step(engine, batch):
    net.train()
    x, y = batch
    opt.zero_grad()
    loss = loss_fn(net(x), y)
    loss.backward()
    opt.step()
    return loss.item()


def eval_step(engine, batch):
    net.eval()
    with torch.no_grad():
        x, y = batch
        return net(x), y


trainer = Engine(train_step)
evaluator = Engine(eval_step)
RunningAverage(output_transform=lambda out: out, alpha=0.9).attach(trainer, "avg_loss")
Accuracy().attach(evaluator, "acc")
Loss(loss_fn).attach(evaluator, "loss")

log_path = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "metrics.csv")
log_file = open(log_path, "w", newline="")
writer = csv.writer(log_file)
writer.writerow(["step", "train_loss", "val_loss", "val_acc"])


@trainer.on(Events.ITERATION_COMPLETED(every=5))
def log_train(engine):
    writer.writerow([engine.state.iteration, f"{engine.state.output:.6f}", "", ""])


@trainer.on(Events.EPOCH_COMPLETED)
def validate(engine):
    evaluator.run(Batches(X_val, Y_val, 200, False))
    m = evaluator.state.metrics
    writer.writerow([engine.state.iteration, "", f"{m['loss']:.6f}", f"{m['acc']:.6f}"])
    print(f"[{engine.state.epoch}] avg train loss {engine.state.metrics['avg_loss']:.4f} "
          f"val loss {m['loss']:.4f} acc {m['acc']:.3f}")


trainer.run(Batches(X_train, Y_train, 64, True), max_epochs=12)
log_file.close()

with torch.no_grad():
    net.eval()
    train_loss = loss_fn(net(X_train), Y_train).item()
m = evaluator.state.metrics
print("CORPUS_METRIC " + json.dumps({"val_loss": round(m["loss"], 4), "val_acc": round(m["acc"], 4),
                                     "train_loss": round(train_loss, 4), "chance_acc": 0.5}))
