# expect:
# allow:
# forbid: *
# evidence: 4 heartbeat classes from 96-sample windows, 1-D CNN with warm-up+cosine AdamW, label smoothing 0.05: val_acc 0.995 (chance 0.25), val_loss 0.286 ~ train_loss 0.308
# native-log: beats.jsonl
# log-expect:
# log-allow:
"""Classify single heartbeats (normal / PVC / RBBB-like / noise artefact) from 96-sample windows.

pytorch-ignite Engine, linear warm-up + cosine schedule, JSON-lines log written from an event handler.
"""
import json
import os
import tempfile
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from ignite.engine import Events, create_supervised_evaluator, create_supervised_trainer
from ignite.handlers import CosineAnnealingScheduler, create_lr_scheduler_with_warmup
from ignite.metrics import Accuracy, Loss, RunningAverage


@dataclass
class Cfg:
    seed: int = 12
    n_train: int = 2400
    n_val: int = 600
    length: int = 96
    epochs: int = 10
    batch: int = 32
    lr: float = 3e-3
    warmup_iters: int = 75


cfg = Cfg()
torch.set_num_threads(1)
torch.manual_seed(cfg.seed)
rng = np.random.default_rng(cfg.seed)
t = np.linspace(-1, 1, cfg.length)


def gauss(mu, w, a):
    return a * np.exp(-((t - mu) / w) ** 2)


def beat(kind):
    s = rng.uniform(0.85, 1.15)
    shift = rng.uniform(-0.08, 0.08)
    if kind == 0:      # normal: P, narrow QRS, T
        x = gauss(-0.45 + shift, 0.06, 0.15) + gauss(shift, 0.03 * s, 1.0) - gauss(0.05 + shift, 0.03, 0.25) + gauss(0.45 + shift, 0.1, 0.3)
    elif kind == 1:    # premature ventricular: no P, wide tall QRS, inverted T
        x = gauss(-0.1 + shift, 0.09 * s, 1.2) - gauss(0.4 + shift, 0.12, 0.35)
    elif kind == 2:    # bundle-branch-like: notched (double) R
        x = gauss(-0.45 + shift, 0.06, 0.15) + gauss(-0.04 + shift, 0.035, 0.8) + gauss(0.06 + shift, 0.035, 0.7) + gauss(0.5 + shift, 0.1, 0.25)
    else:              # motion artefact
        x = np.cumsum(rng.normal(0, 0.08, cfg.length)) * 0.5 + gauss(rng.uniform(-0.6, 0.6), 0.05, rng.uniform(0.2, 0.8))
    return x + 0.15 * np.sin(2 * np.pi * rng.uniform(0.1, 0.5) * t + rng.uniform(0, 6)) + rng.normal(0, 0.1, cfg.length)


def make(n):
    y = rng.integers(0, 4, n)
    x = np.stack([beat(k) for k in y])[:, None, :]
    return torch.tensor(x, dtype=torch.float32), torch.tensor(y)


class BeatNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv1d(1, 16, 7, padding=3)
        self.b1 = nn.BatchNorm1d(16)
        self.c2 = nn.Conv1d(16, 32, 5, padding=2)
        self.b2 = nn.BatchNorm1d(32)
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        x = F.max_pool1d(F.relu(self.b1(self.c1(x))), 2)
        x = F.relu(self.b2(self.c2(x)))
        return self.fc(x.mean(-1))


xtr, ytr = make(cfg.n_train)
xva, yva = make(cfg.n_val)
train_dl = DataLoader(TensorDataset(xtr, ytr), batch_size=cfg.batch, shuffle=True)
val_dl = DataLoader(TensorDataset(xva, yva), batch_size=300)

model = BeatNet()
opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=1e-2)
crit = nn.CrossEntropyLoss(label_smoothing=0.05)
trainer = create_supervised_trainer(model, opt, crit)
RunningAverage(output_transform=lambda out: out).attach(trainer, "train_loss_avg")
evaluator = create_supervised_evaluator(model, metrics={"acc": Accuracy(), "loss": Loss(crit)})

total_iters = cfg.epochs * len(train_dl)
cosine = CosineAnnealingScheduler(opt, "lr", start_value=cfg.lr, end_value=1e-5, cycle_size=total_iters - cfg.warmup_iters)
sched = create_lr_scheduler_with_warmup(cosine, warmup_start_value=1e-5, warmup_end_value=cfg.lr, warmup_duration=cfg.warmup_iters)
trainer.add_event_handler(Events.ITERATION_STARTED, sched)

log_path = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "beats.jsonl")
log_fh = open(log_path, "w")


@trainer.on(Events.ITERATION_COMPLETED(every=25))
def log_iter(engine):
    log_fh.write(json.dumps({"iteration": engine.state.iteration, "loss": engine.state.output,
                             "lr": opt.param_groups[0]["lr"]}) + "\n")


@trainer.on(Events.EPOCH_COMPLETED)
def log_epoch(engine):
    evaluator.run(val_dl)
    m = evaluator.state.metrics
    log_fh.write(json.dumps({"epoch": engine.state.epoch, "iteration": engine.state.iteration,
                             "train_loss": engine.state.metrics["train_loss_avg"], "val_loss": m["loss"],
                             "val_acc": m["acc"], "lr": opt.param_groups[0]["lr"]}) + "\n")
    log_fh.flush()


trainer.run(train_dl, max_epochs=cfg.epochs)
log_fh.close()
m = evaluator.state.metrics
print(f"val_acc {m['acc']:.3f} val_loss {m['loss']:.3f} train_loss(avg) {trainer.state.metrics['train_loss_avg']:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(m["loss"], 4), "val_acc": round(m["acc"], 4),
                                      "train_loss": round(trainer.state.metrics["train_loss_avg"], 4), "chance_acc": 0.25}))
